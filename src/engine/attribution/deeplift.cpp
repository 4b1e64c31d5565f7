#include "attribution/nonlinearities.h"
#include "attribution/other_methods.h"

namespace s4scope {

MethodResult deepLift(const AttributionContext& ctx) {
    static const DeepLiftRescale rescale;
    const auto x = ctx.x.detach();
    const auto baseline = torch::full_like(x, ctx.param("baseline"));
    torch::AutoGradMode enable(true);
    // Input and reference travel together: the rescale multipliers pair row 0 with row 1.
    const auto pair = torch::cat({x, baseline}, 0).requires_grad_(true);
    const auto logits = ctx.net.forward(pair, rescale);
    const auto multipliers = torch::autograd::grad({logits[0][ctx.target]}, {pair})[0];
    Conservation c;  // the pair's second row is the baseline's forward pass
    c.reference = "f(x) - f(baseline)";
    c.expected = (logits[0][ctx.target] - logits[1][ctx.target]).item<double>();
    return {((x - baseline) * multipliers.narrow(0, 0, 1))[0][0], std::move(c)};
}

}  // namespace s4scope
