#pragma once
// The straightforward way to run the classifier, as the benchmark's reference for ratios: the
// S4D kernel recomputed on every call, the FFT convolution exactly as DESIGN.md §2 writes it, one
// clip at a time, nothing cached.
#include <torch/torch.h>

#include "model/s4_model.h"

namespace s4bench {

torch::Tensor naiveForward(s4scope::S4ClassifierImpl& net, const torch::Tensor& clip);  // (1,1,T) -> (1,C)
torch::Tensor naiveGradient(s4scope::S4ClassifierImpl& net, const torch::Tensor& clip, int64_t target);

}  // namespace s4bench
