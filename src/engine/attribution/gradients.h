#pragma once
// Gradient-family methods: plain, x input, x SIGN, guided, integrated gradients, smoothgrad family.
#include "attribution/context.h"

namespace s4scope {

// d(target logit)/d(input) for every row of `inputs` (N,1,T), evaluated ctx.batchSize rows at a
// time with the given nonlinearities. Reports progress over [progressFrom, progressTo].
torch::Tensor targetGradients(const AttributionContext& ctx, const torch::Tensor& inputs, const Nonlinearities& nl,
                              double progressFrom = 0, double progressTo = 1);

torch::Tensor signMu(const torch::Tensor& x, double mu);  // +1 where x >= mu, else -1

// The conservation figure of methods that sum to f(x) - f(baseline): one forward pass of the baseline.
Conservation differenceToBaseline(const AttributionContext& ctx, const torch::Tensor& baseline);

torch::Tensor gradient(const AttributionContext& ctx);
torch::Tensor gradientXInput(const AttributionContext& ctx);
torch::Tensor gradientXSign(const AttributionContext& ctx);
torch::Tensor guidedBackprop(const AttributionContext& ctx);
MethodResult integratedGradients(const AttributionContext& ctx);
torch::Tensor smoothGrad(const AttributionContext& ctx);
torch::Tensor smoothGradSquared(const AttributionContext& ctx);
torch::Tensor varGrad(const AttributionContext& ctx);

}  // namespace s4scope
