#pragma once
// The S4D convolution kernel and the causal FFT convolution it drives (DESIGN.md §2).
#include <torch/torch.h>

namespace s4scope {

// K[h,l] = 2 Re( sum_n C~[h,n] exp(dt_h A[h,n] l) ), C~ = C (exp(dt A) - 1) / A (zero-order hold),
// dt = exp(log_dt), A = -exp(log_A_real) + i A_imag. C is (H, N/2, 2), the view_as_real of complex C.
// Returns (H, L) in the parameters' dtype; differentiable.
torch::Tensor s4dKernel(const torch::Tensor& log_dt, const torch::Tensor& C, const torch::Tensor& log_A_real,
                        const torch::Tensor& A_imag, int64_t L);

// The causal convolution as DESIGN.md §2 writes it: irfft(rfft(u,2L) * rfft(K,2L), 2L)[..., :L].
// Kept as the reference the tests and the benchmark compare against; the model uses causalConv
// (causal_conv.h), which is exact and much faster for these short sequences.
torch::Tensor fftCausalConvolution(const torch::Tensor& u, const torch::Tensor& K);

}  // namespace s4scope
