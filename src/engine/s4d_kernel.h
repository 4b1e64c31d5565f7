#pragma once
// The S4D convolution kernel and the causal FFT convolution it drives (DESIGN.md §2).
#include <torch/torch.h>

namespace s4scope {

// K[h,l] = 2 Re( sum_n C~[h,n] exp(dt_h A[h,n] l) ), C~ = C (exp(dt A) - 1) / A (zero-order hold),
// dt = exp(log_dt), A = -exp(log_A_real) + i A_imag. C is (H, N/2, 2), the view_as_real of complex C.
// Returns (H, L) in the parameters' dtype; differentiable.
torch::Tensor s4dKernel(const torch::Tensor& log_dt, const torch::Tensor& C, const torch::Tensor& log_A_real,
                        const torch::Tensor& A_imag, int64_t L);

// K (H,L) as the weight of a depthwise conv1d that computes the causal convolution: (H,1,L), flipped.
torch::Tensor convolutionWeight(const torch::Tensor& K);

// y[b,h,l] = sum_{j<=l} K[h,j] u[b,h,l-j] as a direct depthwise conv1d over the left-padded input:
// exact (terms that are zero stay zero, which LRP's alpha-beta groups rely on) and, for the short
// sequences here (L = 100), several times faster on CPU than the FFT.
torch::Tensor causalConvolution(const torch::Tensor& u, const torch::Tensor& weight);

// The same convolution as DESIGN.md §2 writes it: irfft(rfft(u,2L) * rfft(K,2L), 2L)[..., :L].
// Kept as the reference the tests and the benchmark compare against.
torch::Tensor fftCausalConvolution(const torch::Tensor& u, const torch::Tensor& K);

}  // namespace s4scope
