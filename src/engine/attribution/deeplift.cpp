#include "attribution/nonlinearities.h"
#include "attribution/other_methods.h"

namespace s4scope {

torch::Tensor deepLift(const AttributionContext& ctx) {
    static const DeepLiftRescale rescale;
    const auto x = ctx.x.detach();
    const auto baseline = torch::full_like(x, ctx.param("baseline"));
    torch::AutoGradMode enable(true);
    // Input and reference travel together: the rescale multipliers pair row 0 with row 1.
    const auto pair = torch::cat({x, baseline}, 0).requires_grad_(true);
    const auto logits = ctx.net.forward(pair, rescale);
    const auto multipliers = torch::autograd::grad({logits[0][ctx.target]}, {pair})[0];
    return ((x - baseline) * multipliers.narrow(0, 0, 1))[0][0];
}

}  // namespace s4scope
