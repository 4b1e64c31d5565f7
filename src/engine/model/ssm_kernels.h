#pragma once
// The convolution kernels of the state-spaces S4 family, written from the papers:
//  - diagonal state matrices (S4D, Gu et al. NeurIPS 2022): a Vandermonde sum per channel, with
//    zero-order-hold or bilinear discretisation;
//  - diagonal plus low rank (S4, Gu et al. ICLR 2022): the truncated generating function at the
//    roots of unity, a Cauchy sum over the diagonal with a Woodbury correction for the low-rank
//    part, and an inverse FFT.
// Complex parameters are complex tensors here; the modules (ssm_kernel_module.h) turn the stored
// (real, imag) pairs and their transforms into these.
#include <string>

#include <torch/torch.h>

namespace s4scope {

enum class Discretisation { Zoh, Bilinear };

// How a positive quantity (the decay -Re A, |Im A|, the step dt) is stored: value = f(stored).
// The names are state-spaces' `real_transform` / `imag_transform` / `dt_transform` options.
enum class PositiveTransform { None, Exp, Relu, Sigmoid, Softplus };

torch::Tensor applyPositiveTransform(const torch::Tensor& stored, PositiveTransform transform);
// The stored value for a positive value (clamped to >= 1e-4 first, as the reference initialiser does).
torch::Tensor inversePositiveTransform(const torch::Tensor& value, PositiveTransform transform);

// K[h,l] = 2 Re sum_n Ct[h,n] dA[h,n]^l, l = 0..L-1, for the diagonal state space
// x' = A x + B u, y = Re(2 C x) sampled with step dt:
//   zoh:      dA = exp(dt A), Ct = C B (exp(dt A) - 1) / A
//   bilinear: dA = (1 + dt A/2) / (1 - dt A/2), Ct = C B dt / (1 - dt A/2)
// dt (H,1) or (H,N2) real; A, B, C (H,N2) complex (B undefined: ones). Differentiable; the powers
// dA^l come from two tables of about sqrt(L) powers each, so long L needs no (H,N2,L) buffer.
torch::Tensor diagonalKernel(const torch::Tensor& dt, const torch::Tensor& A, const torch::Tensor& B,
                             const torch::Tensor& C, Discretisation disc, int64_t L);

// The DPLR state matrix A = diag(Lambda) - P P^* on the full state of conjugate pairs (2 N2
// dimensions: Lambda, conj(Lambda); P, conj(P)) discretised bilinearly:
// dA = (I - dt/2 A)^-1 (I + dt/2 A). dt (H,1) real, Lambda (H,N2), P (R,H,N2) complex.
// Returns (H, 2N2, 2N2) complex128.
torch::Tensor dplrDiscreteStateMatrix(const torch::Tensor& dt, const torch::Tensor& Lambda, const torch::Tensor& P);

// C (H,N2) complex (the first half of the conjugate pairs) times (I + sign dA^steps), as a row
// vector on the full state, halved again: sign -1 truncates the generating function to `steps`
// terms (C~ = C (I - dA^L)); sign +1 doubles an existing truncation (C~_2L = C~_L (I + dA^L)).
// Returns (H,N2) complex128.
torch::Tensor dplrTruncatedC(const torch::Tensor& C, const torch::Tensor& dA, int64_t steps, int sign);

// The kernel whose generating function, truncated to `nodes` terms, is C~ (I - dA w)^-1 dB at the
// `nodes` roots of unity w, by the Cauchy kernel with the Woodbury identity for the low-rank part,
// then an inverse real FFT. dt (H,1) real; Lambda, B, Ct (H,N2) and P (R,H,N2) complex.
// Returns (H, nodes) float64. Not differentiable (plain loops over complex128).
torch::Tensor dplrCauchyKernel(const torch::Tensor& dt, const torch::Tensor& Lambda, const torch::Tensor& B,
                               const torch::Tensor& Ct, const torch::Tensor& P, int64_t nodes);

}  // namespace s4scope
