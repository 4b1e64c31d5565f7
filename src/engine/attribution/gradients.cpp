#include "attribution/gradients.h"

#include "attribution/nonlinearities.h"
#include "attribution/quadrature.h"
#include "model/runtime.h"

namespace s4scope {
namespace {

const Nonlinearities& standard() {
    static const Nonlinearities nl;
    return nl;
}

// Gradients at x + noise for `samples` draws of N(0, (sigma * peak-to-peak of x)^2).
torch::Tensor noisyGradients(const AttributionContext& ctx) {
    const int64_t samples = static_cast<int64_t>(ctx.param("samples"));
    const auto x = ctx.x.detach();
    const double sigma = ctx.param("sigma") * (x.max() - x.min()).item<double>();
    auto generator = at::make_generator<at::CPUGeneratorImpl>(ctx.seed);
    const auto noise = torch::randn({samples, 1, x.size(-1)}, generator, x.options());
    return targetGradients(ctx, x + sigma * noise, standard());
}

}  // namespace

torch::Tensor targetGradients(const AttributionContext& ctx, const torch::Tensor& inputs, const Nonlinearities& nl,
                              double progressFrom, double progressTo) {
    const int64_t n = inputs.size(0);
    auto grads = torch::empty_like(inputs);
    torch::AutoGradMode enable(true);
    for (int64_t start = 0; start < n; start += ctx.batchSize) {
        ctx.step(progressFrom + (progressTo - progressFrom) * double(start) / double(n));
        // Each slice of the batch is its own graph on one thread.
        parallelSlices(std::min(ctx.batchSize, n - start), [&](int64_t begin, int64_t end) {
            const auto chunk = inputs.narrow(0, start + begin, end - begin).detach().requires_grad_(true);
            const auto logits = ctx.net.forward(chunk, nl);
            grads.narrow(0, start + begin, end - begin)
                .copy_(torch::autograd::grad({logits.select(1, ctx.target).sum()}, {chunk})[0]);
        });
    }
    ctx.step(progressTo);
    return grads;
}

Conservation differenceToBaseline(const AttributionContext& ctx, const torch::Tensor& baseline) {
    torch::NoGradGuard noGrad;
    Conservation c;
    c.reference = "f(x) - f(baseline)";
    c.expected = ctx.logits[0][ctx.target].item<double>() -
                 ctx.net.forward(baseline.view({1, 1, -1}))[0][ctx.target].item<double>();
    return c;
}

torch::Tensor signMu(const torch::Tensor& x, double mu) { return torch::where(x >= mu, 1.0, -1.0).to(x.dtype()); }

torch::Tensor gradient(const AttributionContext& ctx) {
    torch::AutoGradMode enable(true);
    return torch::autograd::grad({ctx.forward.logits[0][ctx.target]}, {ctx.x}, {}, /*retain_graph=*/true)[0][0][0];
}

torch::Tensor gradientXInput(const AttributionContext& ctx) { return ctx.x[0][0].detach() * gradient(ctx); }

torch::Tensor gradientXSign(const AttributionContext& ctx) {
    return signMu(ctx.x[0][0].detach(), ctx.param("mu")) * gradient(ctx);
}

torch::Tensor guidedBackprop(const AttributionContext& ctx) {
    static const GuidedGelu guided;
    return targetGradients(ctx, ctx.x.detach(), guided)[0][0];
}

MethodResult integratedGradients(const AttributionContext& ctx) {
    const auto x = ctx.x[0][0].detach();
    const auto baseline = torch::full_like(x, ctx.param("baseline"));
    // Gauss-Legendre on [0, 1] (Captum's default): exact for integrands polynomial in alpha up to
    // degree 2 steps - 1, where the midpoint rule is exact only for linear ones.
    const Quadrature q = gaussLegendre(static_cast<int>(ctx.param("steps")));
    const auto options = x.options().dtype(torch::kDouble);
    const auto alphas = torch::tensor(q.nodes, options).to(x.scalar_type());
    const auto weights = torch::tensor(q.weights, options).to(x.scalar_type());
    const auto path = (baseline + alphas.view({-1, 1}) * (x - baseline)).unsqueeze(1);  // (steps,1,T)
    const auto grads = targetGradients(ctx, path, standard());                       // (steps,1,T)
    const auto relevance = (x - baseline) * (weights.view({-1, 1, 1}) * grads).sum(0)[0];
    return {relevance, differenceToBaseline(ctx, baseline)};
}

torch::Tensor smoothGrad(const AttributionContext& ctx) { return noisyGradients(ctx).mean(0)[0]; }

torch::Tensor smoothGradSquared(const AttributionContext& ctx) { return noisyGradients(ctx).square().mean(0)[0]; }

torch::Tensor varGrad(const AttributionContext& ctx) {
    return noisyGradients(ctx).var(0, /*unbiased=*/false)[0];
}

}  // namespace s4scope
