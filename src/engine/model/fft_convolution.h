#pragma once
// The S4 convolution's FFT path (long kernels, see kFftConvolutionTaps in causal_conv.h): causal
// products and their adjoints by real FFTs long enough that nothing wraps around.
#include <cstdint>

#include <torch/torch.h>

namespace s4scope {

// At least L + taps - 1 (so nothing wraps around), rounded up to a product of 2, 3 and 5.
int64_t fftLength(int64_t L, int64_t taps);

// The FFT convolution (correlate false) or correlation (true) of every row of `a` (B,H,L) with K
// (H,Lk), plus the same of `b` with K2 when given (one inverse FFT for both); (B,H,L).
torch::Tensor fftMap(const torch::Tensor& a, const torch::Tensor& K, const torch::Tensor& b, const torch::Tensor& K2,
                     bool correlate);

// One sign group of the convolution, Ka * up + Kb * um, with values at or below `floor` (B,H,1)
// set to exactly zero (see the definition for why).
torch::Tensor fftSignGroup(const torch::Tensor& up, const torch::Tensor& Ka, const torch::Tensor& um,
                           const torch::Tensor& Kb, const torch::Tensor& floor);

}  // namespace s4scope
