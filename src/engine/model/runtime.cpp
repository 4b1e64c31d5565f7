#include "model/runtime.h"

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <malloc.h>
#include <mutex>
#include <filesystem>
#include <string>
#include <system_error>
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
    // Through the link's target, not the link: the kernel names the process after the file it
    // executes, and "exe" is what ps, top and the desktop's task list would show.
    std::error_code ec;
    const std::string self = std::filesystem::read_symlink("/proc/self/exe", ec).string();
    execv(ec || self.empty() ? "/proc/self/exe" : self.c_str(), argv);
    // execv only returns on failure: carry on with the active policy.
}

}  // namespace s4scope

namespace s4scope {

OpenMpThreads::OpenMpThreads(int n) : previous_(omp_get_max_threads()) { omp_set_num_threads(n); }
OpenMpThreads::~OpenMpThreads() { omp_set_num_threads(previous_); }

}  // namespace s4scope

namespace s4scope {

void parallelSlices(int64_t n, const std::function<void(int64_t, int64_t)>& f) {
    const int threads = std::max(1, omp_get_max_threads());
    if (n <= 1 || threads == 1 || omp_in_parallel()) {
        OpenMpThreads one(1);
        if (n > 0) f(0, n);
        return;
    }
    // Two slices per thread, so a thread on a busy core takes fewer.
    const int64_t slices = std::min<int64_t>(n, 2 * threads), size = (n + slices - 1) / slices;
    const bool grad = torch::GradMode::is_enabled(), inference = c10::InferenceMode::is_enabled();
    std::exception_ptr failure;
    std::mutex failureMutex;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (int64_t s = 0; s < slices; ++s) {
        try {
            c10::InferenceMode inferenceMode(inference);
            torch::AutoGradMode gradMode(grad);
            OpenMpThreads one(1);
            const int64_t begin = s * size, end = std::min(n, begin + size);
            if (begin < end) f(begin, end);
        } catch (...) {
            std::lock_guard<std::mutex> lock(failureMutex);
            if (!failure) failure = std::current_exception();
        }
    }
    if (failure) std::rethrow_exception(failure);
}

}  // namespace s4scope
