#pragma once
// The S4 convolution y = K * u + D u (causal, per channel) as one differentiable operation with
// hand-vectorised loops. oneDNN's depthwise conv1d spent ~100 us per call setting up at batch 1,
// where the arithmetic itself is ~640k multiply-adds; this keeps libtorch's dispatch to one op.
#include <torch/torch.h>

#include "model/sign_split.h"

namespace s4scope {

// u (B,H,L), K (H,Lk) taps (tap 0 multiplies the current step), D (H) or undefined (long kernels
// by FFT, see kFftConvolutionTaps):
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
    torch::Tensor tiles;               // for the direct loops (short kernels)
    torch::Tensor positive, negative;  // K+ and K- (H,Lk) in float64, for the FFT path (long kernels)
    int64_t channels = 0, taps = 0;
};

// Long kernels (both the kernel and the sequence at least this long) run through FFTs: a direct
// convolution costs L x taps per row, 2.6e8 multiply-adds per channel at L = 16000.
constexpr int64_t kFftConvolutionTaps = 384;
// The causal convolution by real FFTs of length L + taps - 1 (no wrap-around), differentiable:
// y = K * u, u (B,H,L), K (H,Lk) -> (B,H,L).
torch::Tensor fftCausalConv(const torch::Tensor& u, const torch::Tensor& K);
// Its adjoint (a correlation): g (B,H,L) -> gu[m] = sum_k K[k] g[m+k].
torch::Tensor fftCausalCorrelate(const torch::Tensor& g, const torch::Tensor& K);
SignSplitKernel splitKernelBySign(const torch::Tensor& K);
SignGroups causalConvSignGroups(const torch::Tensor& u, const SignSplitKernel& K, WhichGroups which);
// What the two groups pass back for their quotients p and n (n covering the first n.size(2) steps,
// zero after; undefined: zero):
// u (.) (u > 0 ? K+ (x) p + K- (x) n : K- (x) p + K+ (x) n), (x) the adjoint of the convolution.
torch::Tensor causalConvSignGroupsAdjoint(const torch::Tensor& u, const SignSplitKernel& K, const torch::Tensor& p,
                                          const torch::Tensor& n);

}  // namespace s4scope
