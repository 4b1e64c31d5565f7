#pragma once
// LayerNorm over the channels of a (B,H,L) tensor at every time step, without autograd: the
// model's layout keeps channels strided, where libtorch's layer_norm needs a transposed copy
// (~40 us per call at batch 1; this loop, vectorised along time, a few).
#include <torch/torch.h>

namespace s4scope {

struct ChannelNorm {
    torch::Tensor output;          // (B,H,L): w (x - mean) / sigma + b
    torch::Tensor inverseSigma;    // (B,1,L): 1 / sqrt(var + eps), var the biased variance
};

// weight and bias (H) may be undefined (then 1 and 0). Not differentiable: for no-grad passes.
ChannelNorm channelLayerNorm(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias,
                             double eps);

// The same output, differentiable in x (one autograd node with a fused backward) while weight and
// bias are held constant: attribution passes. Training, which learns them, needs libtorch's op.
torch::Tensor layerNormOverChannels(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias,
                                    double eps);

// LayerNorm with sigma held constant, as LRP sees it (a linear map), passes s back as
// centre(w (.) s / sigma): centre subtracts the mean over channels at each step. One loop.
// s (B,H,L), weight (H) or undefined, inverseSigma (B,1,L).
torch::Tensor centredScaledChannels(const torch::Tensor& s, const torch::Tensor& weight,
                                    const torch::Tensor& inverseSigma);

}  // namespace s4scope
