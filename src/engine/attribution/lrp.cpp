#include "attribution/lrp.h"

#include "attribution/lrp_maps.h"

namespace s4scope {
namespace {

// The sum of example 0 of a batch, in double: one loop, no tensor operation (recorded per step).
double totalOfFirst(const torch::Tensor& batch) {
    const auto t = batch[0].contiguous();
    double total = 0;
    AT_DISPATCH_FLOATING_TYPES(t.scalar_type(), "totalOfFirst", [&] {
        const scalar_t* p = t.data_ptr<scalar_t>();
        for (int64_t i = 0, n = t.numel(); i < n; ++i) total += double(p[i]);
    });
    return total;
}

}  // namespace

Composite uniformComposite(const Rule& body, const Rule& norm, double residualEpsilon, const Rule* inputLayer) {
    const Rule input = inputLayer ? *inputLayer : body;
    return {[=](LayerKind kind, int64_t) -> const Rule& {
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
        result.trace.emplace_back(step, totalOfFirst(R) + (skip.defined() ? totalOfFirst(skip) : 0.0));
    };
    auto rule = [&](LayerKind kind, int64_t block = -1) -> const Rule& { return composite.ruleFor(kind, block); };
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

}  // namespace s4scope
