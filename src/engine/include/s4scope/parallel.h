#pragma once
// Work over many clips on every core: one clip per thread at a time, every engine call inside it
// on that one thread (a single clip is dispatch-bound: two threads on one clip lose to one thread
// per clip, see bench/README.md "Threads").
#include <cstdint>
#include <functional>

namespace s4scope {

// Runs f(i) for every i in [0, n), items handed to the cores as they become free. f runs with the
// engine's thread count set to one, so explain() and Model::logits() inside it stay on its thread.
// The first exception thrown by f is rethrown after every item has run.
void parallelFor(int64_t n, const std::function<void(int64_t index)>& f);

// Threads parallelFor uses (the cores available, or S4SCOPE_THREADS).
int parallelThreads();

}  // namespace s4scope
