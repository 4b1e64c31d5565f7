#pragma once
// LRP composites by name, as Zennit's COMPOSITES: each entry is a registry method (id, name,
// parameters) and how to build, from its parameters, the rule every linear map of the S4
// classifier gets. Adding an LRP method is one entry in lrp_composites.cpp.
#include <functional>
#include <optional>
#include <vector>

#include "attribution/lrp.h"

namespace s4scope {

// A composite as data: the rule of each kind of map.
struct LayerRules {
    RuleSpec encoder;  // the input layer
    RuleSpec body;     // S4 convolutions, 1x1 convolutions, mean pooling, decoder
    RuleSpec norm;     // LayerNorm (its standard deviation held constant)
    std::optional<RuleSpec> earlyBlocks;  // the S4 and 1x1 convolutions of the first ceil(n/2) blocks, if not body
    double residualEpsilon = kEpsilonFloor;
};

struct CompositeEntry {
    MethodInfo info;
    std::function<LayerRules(const MethodParams&)> rules;  // the parameters complete (defaults filled in)
};

const std::vector<CompositeEntry>& lrpComposites();

// The composite for a network of `blocks` S4 blocks.
Composite buildComposite(const LayerRules& rules, int64_t blocks);

// The registry's LRP method: the composite named by the request, its relevance and conservation
// figure (the logit, and the total after each step).
MethodResult lrpMethod(const AttributionContext& ctx);

}  // namespace s4scope
