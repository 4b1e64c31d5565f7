#pragma once
// The GLU of an S4 block, z = a * sigmoid(b) with (a, b) the two channel halves of one tensor, as
// one differentiable op: libtorch's chunk, sigmoid and mul record three nodes whose backward ends
// in a concatenation (~8% of a batched gradient pass); this writes the gradient of both halves
// in one pass.
#include <torch/torch.h>

namespace s4scope {

// ab (B,2H,L) -> z (B,H,L). Differentiable in ab.
torch::Tensor gatedLinearUnit(const torch::Tensor& ab);

}  // namespace s4scope
