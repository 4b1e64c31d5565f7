#include "attribution/lrp_maps.h"


namespace s4scope {

LinearMap encoderMap(S4ClassifierImpl& net) {
    const int64_t stride = net.config.downsample;
    return {{net.encoder->weight}, net.encoder->bias,
            [stride](const torch::Tensor& x, const std::vector<torch::Tensor>& w, const torch::Tensor& b) {
                return torch::conv1d(x, w[0], b, stride);
            }};
}

LinearMap ssmMap(S4BlockImpl& block, int64_t L) {
    // The explicit causal Toeplitz matrix T[h,l,j] = K[h,l-j] (j <= l) plus D[h] on the diagonal,
    // rather than the FFT: rules modify the map's actual weights (the diagonal is K[0] + D), and
    // contributions that are exactly zero stay exactly zero, which alpha-beta's empty groups need.
    const auto K = block.kernel->kernel(L);
    const int64_t H = K.size(0);
    const auto lag = torch::arange(L).view({L, 1}) - torch::arange(L).view({1, L});
    const auto causal = (lag >= 0).to(K.dtype());
    const auto toeplitz = K.index_select(1, lag.clamp_min(0).flatten()).view({H, L, L}) * causal;
    const auto matrix = toeplitz + torch::eye(L, K.options()) * block.D.view({H, 1, 1});
    return {{matrix}, torch::Tensor(),
            [causal](const torch::Tensor& x, const std::vector<torch::Tensor>& w, const torch::Tensor&) {
                // The mask keeps modified weights (e.g. the flat rule's ones) causal.
                return torch::matmul(w[0] * causal, x.unsqueeze(-1)).squeeze(-1);
            }};
}

LinearMap signalConvMap(S4BlockImpl& block) {
    const int64_t H = block.D.size(0);
    return {{block.outputConv->weight.narrow(0, 0, H)}, block.outputConv->bias.narrow(0, 0, H),
            [](const torch::Tensor& x, const std::vector<torch::Tensor>& w, const torch::Tensor& b) {
                return torch::conv1d(x, w[0], b);
            }};
}

LinearMap layerNormMap(const torch::nn::LayerNorm& norm, const torch::Tensor& input) {
    const auto sigma = torch::sqrt(input.var(1, /*unbiased=*/false, /*keepdim=*/true) + norm->options.eps()).detach();
    return {{norm->weight}, norm->bias,
            [sigma](const torch::Tensor& x, const std::vector<torch::Tensor>& w, const torch::Tensor& b) {
                auto y = (x - x.mean(1, true)) / sigma * w[0].view({1, -1, 1});
                return b.defined() ? y + b.view({1, -1, 1}) : y;
            }};
}

LinearMap meanPoolMap() {
    // Written as a scalar weight times the mean so weight modifiers (W+, W^2, 1) have a weight to act on.
    return {{torch::ones({1})}, torch::Tensor(),
            [](const torch::Tensor& x, const std::vector<torch::Tensor>& w, const torch::Tensor&) {
                return x.mean(-1) * w[0];
            }};
}

LinearMap decoderMap(S4ClassifierImpl& net) {
    return {{net.decoder->weight}, net.decoder->bias,
            [](const torch::Tensor& x, const std::vector<torch::Tensor>& w, const torch::Tensor& b) {
                return torch::linear(x, w[0], b);
            }};
}

}  // namespace s4scope
