#pragma once
// Process-wide libtorch settings the engine relies on.
#include <cstdint>
#include <functional>

#include "s4scope/runtime.h"  // preferPassiveOpenMP

namespace s4scope {

// Sets libtorch's intra-op thread count to the cores available (Debian's libtorch defaults to 1
// here). Idempotent; called whenever a model is created. S4SCOPE_THREADS overrides the count.
void ensureRuntime();


// Sets the calling thread's OpenMP thread count (libtorch and OpenBLAS follow it) for a scope.
// It is per thread (an OpenMP ICV), so other threads keep theirs.
class OpenMpThreads {
public:
    explicit OpenMpThreads(int n);
    ~OpenMpThreads();
    OpenMpThreads(const OpenMpThreads&) = delete;
    OpenMpThreads& operator=(const OpenMpThreads&) = delete;

private:
    int previous_;
};

// Runs f(begin, end) over slices of [0, n) on the calling thread's OpenMP threads, slices handed
// out as threads become free, every op inside a slice on one thread, with the caller's autograd
// modes. For batched passes: hundreds of small ops per pass, each split over both cores, meant
// hundreds of synchronisations (each waiting for the slower core); one split per batch means one.
// The first exception thrown by f is rethrown here.
void parallelSlices(int64_t n, const std::function<void(int64_t begin, int64_t end)>& f);

}  // namespace s4scope
