// parallelFor: an OpenMP loop handing out one item at a time (items differ in cost: a bad file
// fails at once, integrated gradients takes 50 ms), every operation inside an item on one thread.
#include "s4scope/parallel.h"

#include <algorithm>
#include <exception>
#include <mutex>

#include <omp.h>

#include "model/runtime.h"

namespace s4scope {

int parallelThreads() {
    ensureRuntime();
    return std::max(1, omp_get_max_threads());
}

void parallelFor(int64_t n, const std::function<void(int64_t)>& f) {
    const int threads = parallelThreads();
    std::exception_ptr failure;
    std::mutex failureMutex;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (int64_t i = 0; i < n; ++i) {
        try {
            OpenMpThreads one(1);
            f(i);
        } catch (...) {
            std::lock_guard<std::mutex> lock(failureMutex);
            if (!failure) failure = std::current_exception();
        }
    }
    if (failure) std::rethrow_exception(failure);
}

}  // namespace s4scope
