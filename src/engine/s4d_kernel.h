#pragma once
// The S4D convolution kernel and the causal FFT convolution it drives (DESIGN.md §2).
#include <torch/torch.h>

namespace s4scope {

// K[h,l] = 2 Re( sum_n C~[h,n] exp(dt_h A[h,n] l) ), C~ = C (exp(dt A) - 1) / A (zero-order hold),
// dt = exp(log_dt), A = -exp(log_A_real) + i A_imag. C is (H, N/2, 2), the view_as_real of complex C.
// Returns (H, L) in the parameters' dtype; differentiable.
torch::Tensor s4dKernel(const torch::Tensor& log_dt, const torch::Tensor& C, const torch::Tensor& log_A_real,
                        const torch::Tensor& A_imag, int64_t L);

// rfft(K, 2L): the kernel's spectrum for a linear (not circular) convolution of length L.
torch::Tensor kernelSpectrum(const torch::Tensor& K);

// y[b,h,l] = sum_{j<=l} K[h,j] u[b,h,l-j], computed as irfft(rfft(u,2L) * spectrum, 2L)[..., :L].
torch::Tensor causalConvolution(const torch::Tensor& u, const torch::Tensor& spectrum);

}  // namespace s4scope
