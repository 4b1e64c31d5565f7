#pragma once
// Substitutes for the network's nonlinear pieces (GELU, the GLU gate, LayerNorm), used by the
// attribution methods that modify the backward pass.
#include "model/s4_model.h"

namespace s4scope {

// Gates, LayerNorm scales and GELU's ratio Phi(y) = GELU(y)/y held constant (detached): the
// network becomes linear in its input along the backward pass. Gradient x input of this network
// equals LRP-0 (DESIGN.md §3).
class DetachedGates : public Nonlinearities {
public:
    torch::Tensor gelu(const torch::Tensor& y) const override;
    torch::Tensor gate(const torch::Tensor& a, const torch::Tensor& b) const override;
    torch::Tensor layerNorm(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias,
                            double eps) const override;
};

// Guided backpropagation: GELU passes only positive gradient, and only where its input is positive.
class GuidedGelu : public Nonlinearities {
public:
    torch::Tensor gelu(const torch::Tensor& y) const override;
};

// DeepLIFT's rescale rule. The batch holds k inputs followed by their k references; every
// nonlinearity's backward uses multipliers between an input row and its reference row such that
// the multipliers times the differences sum exactly to the difference of outputs:
//  - univariate f (GELU, sigmoid, 1/sqrt): m = (f(x) - f(x_ref)) / (x - x_ref);
//  - products a*s: m_a = (s + s_ref)/2, m_s = (a + a_ref)/2 (exact for two factors);
//  - LayerNorm written as centring (linear), squares (products), a mean (linear), 1/sqrt (univariate)
//    and a product with the centred values.
// Reference rows receive no gradient.
class DeepLiftRescale : public Nonlinearities {
public:
    torch::Tensor gelu(const torch::Tensor& y) const override;
    torch::Tensor gate(const torch::Tensor& a, const torch::Tensor& b) const override;
    torch::Tensor layerNorm(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias,
                            double eps) const override;
};

}  // namespace s4scope
