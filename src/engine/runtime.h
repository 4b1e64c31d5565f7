#pragma once
// Process-wide libtorch settings the engine relies on.
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

}  // namespace s4scope
