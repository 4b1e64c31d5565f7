#include "runtime.h"

#include <cstdlib>
#include <malloc.h>
#include <mutex>
#include <thread>

#include <unistd.h>

#include <omp.h>

#include <torch/torch.h>

namespace s4scope {

void ensureRuntime() {
    static std::once_flag once;
    std::call_once(once, [] {
        int threads = static_cast<int>(std::thread::hardware_concurrency());
        if (const char* env = std::getenv("S4SCOPE_THREADS")) threads = std::atoi(env);
        if (threads < 1) threads = 1;
        at::set_num_threads(threads);
        // Batched passes allocate and free tensors of a few MB many times per explanation. glibc
        // handed each back to the kernel (munmap, then page faults to map and zero it again:
        // ~15% of integrated gradients' time); kept in the heap they are reused.
        mallopt(M_MMAP_THRESHOLD, 32 << 20);
        mallopt(M_TRIM_THRESHOLD, 512 << 20);
    });
}

}  // namespace s4scope

namespace s4scope {

void preferPassiveOpenMP(char** argv) {
    if (std::getenv("OMP_WAIT_POLICY")) return;
    setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
    execv("/proc/self/exe", argv);
    // execv only returns on failure: carry on with the active policy.
}

}  // namespace s4scope

namespace s4scope {

OpenMpThreads::OpenMpThreads(int n) : previous_(omp_get_max_threads()) { omp_set_num_threads(n); }
OpenMpThreads::~OpenMpThreads() { omp_set_num_threads(previous_); }

}  // namespace s4scope
