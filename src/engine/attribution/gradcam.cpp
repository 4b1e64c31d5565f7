#include "attribution/other_methods.h"

namespace s4scope {

torch::Tensor gradCam(const AttributionContext& ctx) {
    const int64_t layers = ctx.net.config.n_layers;
    int64_t layer = static_cast<int64_t>(ctx.param("layer"));
    if (layer < 0) layer += layers;  // -1: the last block
    if (layer < 0 || layer >= layers)
        throw Error("gradcam: 'layer' must name a block in -" + std::to_string(layers) + ".." +
                    std::to_string(layers - 1));
    torch::AutoGradMode enable(true);
    const auto activations = ctx.forward.blocks[layer].output;  // (1,H,L)
    const auto grads =
        torch::autograd::grad({ctx.forward.logits[0][ctx.target]}, {activations}, {}, /*retain_graph=*/true)[0];
    const auto alpha = grads.mean(-1, true);                        // (1,H,1)
    const auto cam = torch::relu((alpha * activations.detach()).sum(1))[0];  // (L)
    // Each step of the S4 sequence covers `downsample` input samples (the encoder's stride).
    return cam.repeat_interleave(ctx.net.config.downsample);
}

}  // namespace s4scope
