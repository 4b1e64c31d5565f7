#pragma once
// The classifier's two dense linear maps as single matrix products, each with its adjoint (the
// vector-Jacobian product in the input, used by LRP without building an autograd graph).
#include <torch/torch.h>

namespace s4scope {

// The encoder Conv1d(d_input=1, H, kernel=S, stride=S) as one matrix product over the (B, L, S)
// frames: x (B,1,T), weight (H,1,S) -> (B,H,L). Same result as conv1d, without its slow CPU path.
torch::Tensor encodeFrames(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias);
// g (B,H,L) -> (B,1,T).
torch::Tensor encodeFramesAdjoint(const torch::Tensor& g, const torch::Tensor& weight);

// A kernel-1 Conv1d: x (B,Cin,L), weight (Cout,Cin,1), bias (Cout) or undefined -> (B,Cout,L).
// Differentiable in all three, with its own backward (two matrix products).
torch::Tensor pointwiseConv(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias);
// g (B,Cout,L) -> (B,Cin,L).
torch::Tensor pointwiseConvAdjoint(const torch::Tensor& g, const torch::Tensor& weight);

}  // namespace s4scope
