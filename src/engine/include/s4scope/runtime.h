#pragma once
// Process-wide settings for programs that use the engine.

namespace s4scope {

// OpenMP threads that spin while waiting make libtorch 10-50x slower as soon as another process
// or thread wants the same cores (measured here: a GUI, audio, a compile), and they burn the core
// the GUI needs. libgomp reads OMP_WAIT_POLICY only when it is loaded, before main() runs, so call
// this first thing in main(): it re-executes the program once with OMP_WAIT_POLICY=PASSIVE unless
// the user chose a policy, and returns when the policy is in place.
void preferPassiveOpenMP(char** argv);

}  // namespace s4scope
