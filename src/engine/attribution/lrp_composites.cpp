#include "attribution/lrp_composites.h"

#include <algorithm>

#include "attribution/param_specs.h"

namespace s4scope {
namespace {

using P = MethodParams;

// A single rule everywhere except, possibly, the input layer and LayerNorm.
LayerRules uniform(RuleSpec body, RuleSpec norm, double residualEpsilon, std::optional<RuleSpec> input = {}) {
    return {input ? *input : body, body, norm, std::nullopt, residualEpsilon};
}

}  // namespace

const std::vector<CompositeEntry>& lrpComposites() {
    using namespace params;
    using namespace rules;
    const auto F = MethodFamily::LRP;
    static const std::vector<CompositeEntry> table = {
        {{"lrp_z", "LRP-0", F, "LRP-0 in every layer", {}},
         [](const P&) { return uniform(Zero{}, Zero{}, kEpsilonFloor); }},
        {{"lrp_epsilon", "LRP-ε", F, "LRP-epsilon in every layer", {kEpsilon}},
         [](const P& p) { return uniform(Epsilon{p.at("epsilon")}, Epsilon{p.at("epsilon")}, p.at("epsilon")); }},
        {{"lrp_gamma", "LRP-γ", F, "sign-aware LRP-gamma in every layer (favours contributions that agree with their output)", {kGamma}},
         [](const P& p) { return uniform(Gamma{p.at("gamma")}, Zero{}, kEpsilonFloor); }},
        {{"lrp_alpha1_beta0", "LRP-α1β0", F, "LRP-alpha-beta with alpha 1, beta 0", {}},
         [](const P&) { return uniform(AlphaBeta{1, 0}, Zero{}, kEpsilonFloor); }},
        {{"lrp_alpha2_beta1", "LRP-α2β1", F, "LRP-alpha-beta with alpha 2, beta 1", {}},
         [](const P&) { return uniform(AlphaBeta{2, 1}, Zero{}, kEpsilonFloor); }},
        {{"lrp_zplus", "LRP-z⁺", F, "positive contributions only, biases ignored", {}},
         [](const P&) { return uniform(ZPlus{}, Zero{}, kEpsilonFloor); }},
        {{"lrp_flat", "LRP-ε + flat", F, "LRP-epsilon in the body, flat rule in the input layer", {kEpsilon}},
         [](const P& p) { return uniform(Epsilon{p.at("epsilon")}, Epsilon{p.at("epsilon")}, p.at("epsilon"), Flat{}); }},
        {{"lrp_w_square", "LRP-ε + w²", F, "LRP-epsilon in the body, w-square rule in the input layer", {kEpsilon}},
         [](const P& p) { return uniform(Epsilon{p.at("epsilon")}, Epsilon{p.at("epsilon")}, p.at("epsilon"), WSquare{}); }},
        {{"lrp_epsilon_sign", "LRP-ε + SIGN", F, "LRP-epsilon in the body, SIGN rule in the input layer", {kEpsilon, kMu}},
         [](const P& p) {
             const double eps = p.at("epsilon");
             return uniform(Epsilon{eps}, Epsilon{eps}, eps, Sign{p.at("mu"), eps});
         }},
        {{"lrp_z_sign", "LRP-0 + SIGN", F, "LRP-0 in the body, SIGN rule in the input layer", {kMu}},
         [](const P& p) { return uniform(Zero{}, Zero{}, kEpsilonFloor, Sign{p.at("mu"), kEpsilonFloor}); }},
        {{"lrp_composite", "LRP composite", F,
          "z+ in the encoder, sign-aware gamma in the early blocks, epsilon in later blocks and the decoder", {kEpsilon, kGamma}},
         [](const P& p) {
             const double eps = p.at("epsilon");
             return LayerRules{ZPlus{}, Epsilon{eps}, Epsilon{eps}, Gamma{p.at("gamma")}, eps};
         }},
    };
    return table;
}

Composite buildComposite(const LayerRules& r, int64_t blocks) {
    // Rules made once per composite, not once per map.
    const Rule encoder = makeRule(r.encoder), body = makeRule(r.body), norm = makeRule(r.norm);
    const Rule early = r.earlyBlocks ? makeRule(*r.earlyBlocks) : body;
    const int64_t earlyBlocks = (blocks + 1) / 2;
    Composite c;
    c.residualEpsilon = r.residualEpsilon;
    c.ruleFor = [=](LayerKind kind, int64_t block) -> const Rule& {
        switch (kind) {
        case LayerKind::Encoder: return encoder;
        case LayerKind::Norm: return norm;
        case LayerKind::Ssm:
        case LayerKind::OutputConv: return block < earlyBlocks ? early : body;
        default: return body;
        }
    };
    return c;
}

MethodResult lrpMethod(const AttributionContext& ctx) {
    const auto& table = lrpComposites();
    const auto entry = std::find_if(table.begin(), table.end(),
                                    [&](const CompositeEntry& e) { return e.info.id == ctx.request.method; });
    if (entry == table.end()) throw Error("no LRP composite named '" + ctx.request.method + "'");
    const Composite composite = buildComposite(entry->rules(ctx.params), ctx.net.config.n_layers);
    auto result = lrpBackward(ctx.net, ctx.forward, ctx.target, composite, /*recordTotals=*/true);
    Conservation c;
    c.reference = "target logit";
    c.expected = ctx.logits[0][ctx.target].item<double>();
    c.layers = std::move(result.trace);
    return {result.relevance[0][0], std::move(c)};
}

}  // namespace s4scope
