#!/usr/bin/env bash
# The sanitizer stage of the test command (issue 19): builds the engine and the test suites that
# exercise the project's own code with AddressSanitizer + UndefinedBehaviorSanitizer (gcc, -O1)
# into build-asan/, and runs them there; any report fails the stage (UBSan does not recover;
# ASan aborts on the first error; LeakSanitizer reports leaks at exit, with suppressions only
# for the uninstrumented libgomp, libtorch and OpenBLAS: tests/sanitizers/lsan.supp).
# SANITIZE_SUITES overrides the list of suites. test_hardening is left out of the default list: its
# ~200 hostile inputs each start an instrumented probe process (10 min under ASan), the readers it
# probes are the ones scripts/fuzz.sh runs under ASan + UBSan, and the normal build runs it for
# its time and memory bounds. `SANITIZE_SUITES="test_hardening" scripts/sanitize.sh` runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
suites=(${SANITIZE_SUITES:-test_checkpoint test_audio_io test_rolling_window test_kernel test_model test_attribution})
start=$(date +%s)
flags="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined"
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=None -DCMAKE_CXX_FLAGS="$flags" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=address,undefined" \
  -DS4SCOPE_BUILD_GUI=OFF "${launcher[@]}" >/dev/null
cmake --build build-asan -j"$jobs" --target "${suites[@]}"
echo "sanitize: built in $(( $(date +%s) - start )) s"

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=0:allocator_may_return_null=1"
export LSAN_OPTIONS="suppressions=$PWD/tests/sanitizers/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# ASan's shadow memory and quarantine inflate the hostile-input probes' peaks and times; the
# bounds proper are checked by the normal build's run of test_hardening.
export S4SCOPE_HARDENING_MAX_MIB=4000 S4SCOPE_HARDENING_MAX_CPU_S=30
cd build-asan
regex="^($(IFS='|'; echo "${suites[*]}"))\$"
ctest --output-on-failure --timeout 2400 -R "$regex"
echo "sanitize: stage took $(( $(date +%s) - start )) s"
