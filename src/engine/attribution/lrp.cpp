#include "attribution/lrp.h"

#include "attribution/lrp_maps.h"

namespace s4scope {

Composite uniformComposite(const Rule& body, const Rule& norm, double residualEpsilon, const Rule* inputLayer) {
    const Rule input = inputLayer ? *inputLayer : body;
    return {[=](LayerKind kind, int64_t) {
                if (kind == LayerKind::Encoder) return input;
                if (kind == LayerKind::Norm) return norm;
                return body;
            },
            residualEpsilon};
}

LrpResult lrpBackward(S4ClassifierImpl& net, const torch::Tensor& x, int64_t target, const Composite& composite) {
    torch::NoGradGuard noGrad;
    static const Nonlinearities standard;
    ForwardTrace t;
    net.forward(x, standard, &t);
    return lrpBackward(net, t, target, composite, /*recordTotals=*/true);
}

LrpResult lrpBackward(S4ClassifierImpl& net, const ForwardTrace& t, int64_t target, const Composite& composite,
                      bool recordTotals) {
    torch::NoGradGuard noGrad;
    const auto logits = t.logits.detach();

    LrpResult result;
    // Total relevance of example 0 (plus what the residual path carries past the block), only
    // when asked: the sums cost as much as a small map.
    auto record = [&](const std::string& step, const torch::Tensor& R, const torch::Tensor& skip = {}) {
        if (!recordTotals) return;
        const double carried = skip.defined() ? skip[0].sum().item<double>() : 0.0;
        result.trace.emplace_back(step, R[0].sum().item<double>() + carried);
    };
    auto rule = [&](LayerKind kind, int64_t block = -1) { return composite.ruleFor(kind, block); };
    // A map together with the output the forward pass recorded for it.
    auto recorded = [](LinearMap map, const torch::Tensor& output) {
        map.output = output.detach();
        return map;
    };
    // Residual sum: relevance splits in proportion to the two summands (epsilon-stabilised).
    auto split = [&](const torch::Tensor& R, const torch::Tensor& sum, const torch::Tensor& first,
                     const torch::Tensor& second) {
        return splitBySummands(R, sum.detach(), first.detach(), second.detach(), composite.residualEpsilon);
    };

    auto R = torch::zeros_like(logits);
    R.select(1, target).copy_(logits.select(1, target));
    record("logit", R);
    R = applyRule(rule(LayerKind::Decoder), recorded(decoderMap(net), logits), t.pooled.detach(), R);
    record("decoder", R);
    const auto pooledInput = (t.blocks.empty() ? t.encoded : t.blocks.back().output).detach();
    R = applyRule(rule(LayerKind::Pool), recorded(meanPoolMap(pooledInput.size(-1)), t.pooled), pooledInput, R);
    record("mean pooling", R);

    const bool prenorm = net.config.prenorm;
    for (int64_t i = static_cast<int64_t>(t.blocks.size()) - 1; i >= 0; --i) {
        const auto& b = t.blocks[i];
        auto& block = *net.blocks[i];
        const std::string name = "block " + std::to_string(i) + ": ";
        if (!prenorm) {
            const auto norm = recorded(layerNormMap(net.layerNorms[i], b.sum), b.output);
            R = applyRule(rule(LayerKind::Norm, i), norm, b.sum.detach(), R);
            record(name + "layer norm", R);
        }
        auto [Rz, Rskip] = split(R, b.sum, b.z, b.input);
        record(name + "residual split", Rz, Rskip);
        // GLU: the gate is a constant weight, all relevance goes to the signal half a = Rz.
        R = applyRule(rule(LayerKind::OutputConv, i), recorded(signalConvMap(block), b.a), b.g.detach(), Rz);
        record(name + "1x1 conv", R, Rskip);
        // GELU passes relevance unchanged.
        R = applyRule(rule(LayerKind::Ssm, i), recorded(ssmMap(block, b.u.size(-1)), b.y), b.u.detach(), R);
        record(name + "S4 convolution", R, Rskip);
        if (prenorm) {
            const auto norm = recorded(layerNormMap(net.layerNorms[i], b.input), b.u);
            R = applyRule(rule(LayerKind::Norm, i), norm, b.input.detach(), R);
            record(name + "layer norm", R, Rskip);
        }
        R.add_(Rskip);  // R is this block's own new tensor
    }
    R = applyRule(rule(LayerKind::Encoder), recorded(encoderMap(net), t.encoded), t.input.detach(), R);
    record("encoder (input)", R);
    result.relevance = R;
    return result;
}

namespace {

torch::Tensor run(const AttributionContext& ctx, const Composite& c) {
    return lrpBackward(ctx.net, ctx.forward, ctx.target, c).relevance[0][0];
}

Composite epsilonBody(const AttributionContext& ctx, const Rule& inputLayer) {
    const double eps = ctx.param("epsilon");
    return uniformComposite(epsilonRule(eps), epsilonRule(eps), eps, &inputLayer);
}

}  // namespace

torch::Tensor lrpZ(const AttributionContext& ctx) {
    return run(ctx, uniformComposite(zeroRule(), zeroRule(), 1e-9));
}

torch::Tensor lrpEpsilon(const AttributionContext& ctx) {
    const double eps = ctx.param("epsilon");
    return run(ctx, uniformComposite(epsilonRule(eps), epsilonRule(eps), eps));
}

torch::Tensor lrpGamma(const AttributionContext& ctx) {
    return run(ctx, uniformComposite(gammaRule(ctx.param("gamma")), zeroRule(), 1e-9));
}

torch::Tensor lrpAlpha1Beta0(const AttributionContext& ctx) {
    return run(ctx, uniformComposite(alphaBetaRule(1, 0), zeroRule(), 1e-9));
}

torch::Tensor lrpAlpha2Beta1(const AttributionContext& ctx) {
    return run(ctx, uniformComposite(alphaBetaRule(2, 1), zeroRule(), 1e-9));
}

torch::Tensor lrpZPlus(const AttributionContext& ctx) {
    return run(ctx, uniformComposite(zPlusRule(), zeroRule(), 1e-9));
}

torch::Tensor lrpFlat(const AttributionContext& ctx) { return run(ctx, epsilonBody(ctx, flatRule())); }

torch::Tensor lrpWSquare(const AttributionContext& ctx) { return run(ctx, epsilonBody(ctx, wSquareRule())); }

torch::Tensor lrpEpsilonSign(const AttributionContext& ctx) {
    return run(ctx, epsilonBody(ctx, signRule(ctx.param("mu"), ctx.param("epsilon"))));
}

torch::Tensor lrpZSign(const AttributionContext& ctx) {
    const Rule sign = signRule(ctx.param("mu"), 1e-9);
    return run(ctx, uniformComposite(zeroRule(), zeroRule(), 1e-9, &sign));
}

torch::Tensor lrpComposite(const AttributionContext& ctx) {
    const double eps = ctx.param("epsilon"), gamma = ctx.param("gamma");
    const int64_t earlyBlocks = (ctx.net.config.n_layers + 1) / 2;
    Composite c;
    c.residualEpsilon = eps;
    c.ruleFor = [=](LayerKind kind, int64_t block) {
        switch (kind) {
        case LayerKind::Encoder: return zPlusRule();
        case LayerKind::Ssm:
        case LayerKind::OutputConv: return block < earlyBlocks ? gammaRule(gamma) : epsilonRule(eps);
        default: return epsilonRule(eps);
        }
    };
    return run(ctx, c);
}

}  // namespace s4scope
