#include "attribution/lrp_maps.h"

#include "s4d_kernel.h"


namespace s4scope {

LinearMap encoderMap(S4ClassifierImpl& net) {
    return {{net.encoder->weight}, net.encoder->bias,
            [](const torch::Tensor& x, const std::vector<torch::Tensor>& w, const torch::Tensor& b) {
                return encodeFrames(x, w[0], b);
            }};
}

LinearMap ssmMap(S4BlockImpl& block, int64_t L) {
    // A causal Toeplitz map: the entries of its matrix are K[h, l-j] for j < l and K[h,0] + D[h]
    // on the diagonal, so D is folded into the first tap and the rule's weight modifiers act on
    // exactly the map's entries. The direct convolution keeps zero contributions exactly zero;
    // padding the kernel keeps modified weights (the flat rule's ones) causal.
    auto K = block.kernel->kernel(L).clone();
    K.select(1, 0).add_(block.D);
    return {{K}, torch::Tensor(),
            [](const torch::Tensor& x, const std::vector<torch::Tensor>& w, const torch::Tensor&) {
                return causalConvolution(x, convolutionWeight(w[0]));
            }};
}

LinearMap signalConvMap(S4BlockImpl& block) {
    const int64_t H = block.D.size(0);
    return {{block.outputConv->weight.narrow(0, 0, H)}, block.outputConv->bias.narrow(0, 0, H),
            [](const torch::Tensor& x, const std::vector<torch::Tensor>& w, const torch::Tensor& b) {
                return pointwiseConv(x, w[0], b);
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
