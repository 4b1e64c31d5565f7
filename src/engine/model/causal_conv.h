#pragma once
// The S4 convolution y = K * u + D u (causal, per channel) as one differentiable operation with
// hand-vectorised loops. oneDNN's depthwise conv1d spent ~100 us per call setting up at batch 1,
// where the arithmetic itself is ~640k multiply-adds; this keeps libtorch's dispatch to one op.
#include <torch/torch.h>

#include "model/sign_split.h"

namespace s4scope {

// u (B,H,L), K (H,Lk) taps (tap 0 multiplies the current step), D (H) or undefined:
// y[b,h,l] = sum_{k <= min(l, Lk-1)} K[h,k] u[b,h,l-k] + D[h] u[b,h,l].
// Differentiable in u, K and D (autograd sees one node).
torch::Tensor causalConv(const torch::Tensor& u, const torch::Tensor& K, const torch::Tensor& D = {});

// The adjoint of causalConv in u (its vector-Jacobian product, no autograd):
// g (B,H,L) -> gu[b,h,m] = sum_{k} K[h,k] g[b,h,m+k] + D[h] g[b,h,m].
torch::Tensor causalConvAdjoint(const torch::Tensor& g, const torch::Tensor& K, const torch::Tensor& D = {});

// The alpha-beta rules' view of the convolution y = K * u (D folded into K's first tap): its terms
// K[h,k] u[h,l-k] summed by sign in one pass, positive = K+ * u+ + K- * u-, negative = K- * u+ +
// K+ * u- (sign_split.h does the same for dense maps).
// K's taps split by sign and laid out for the loops, once per kernel.
struct SignSplitKernel {
    torch::Tensor tiles;
    int64_t channels = 0, taps = 0;
};
SignSplitKernel splitKernelBySign(const torch::Tensor& K);
SignGroups causalConvSignGroups(const torch::Tensor& u, const SignSplitKernel& K, WhichGroups which);
// What the two groups pass back for their quotients p and n (n covering the first n.size(2) steps,
// zero after; undefined: zero):
// u (.) (u > 0 ? K+ (x) p + K- (x) n : K- (x) p + K+ (x) n), (x) the adjoint of the convolution.
torch::Tensor causalConvSignGroupsAdjoint(const torch::Tensor& u, const SignSplitKernel& K, const torch::Tensor& p,
                                          const torch::Tensor& n);

}  // namespace s4scope
