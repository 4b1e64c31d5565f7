#pragma once
// Small pieces shared by the engine's hand-written operations.
#include <initializer_list>

#include <ATen/Parallel.h>
#include <torch/torch.h>

namespace s4scope {

// Whether an operation on these tensors must record an autograd graph (undefined ones ignored).
inline bool recordsGraph(std::initializer_list<torch::Tensor> tensors) {
    if (!torch::GradMode::is_enabled()) return false;
    for (const auto& t : tensors)
        if (t.defined() && t.requires_grad()) return true;
    return false;
}

// f(e) for every example e of a batch of B, in parallel once there are more than `grain`.
template <typename F>
void forEachExample(int64_t B, int64_t grain, const F& f) {
    at::parallel_for(0, B, grain, [&](int64_t begin, int64_t end) {
        for (int64_t e = begin; e < end; ++e) f(e);
    });
}

}  // namespace s4scope
