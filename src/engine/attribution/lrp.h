#pragma once
// LRP through the S4 classifier (DESIGN.md §3). Rules apply to the linear maps (encoder, S4
// convolution with its D term, the GLU's 1x1 convolution, LayerNorm with its standard deviation
// held constant, mean pooling, decoder); GELU passes relevance unchanged, the GLU gate is a
// constant weight (all relevance to its signal half), residual sums split relevance in proportion
// to their two contributions. A composite says which rule each map gets (lrp_composites.h names them).
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "attribution/context.h"
#include "attribution/lrp_rules.h"

namespace s4scope {

enum class LayerKind { Encoder, Ssm, OutputConv, Norm, Pool, Decoder };

struct Composite {
    // block: the S4 block index for Ssm/OutputConv/Norm, -1 otherwise. The rule lives as long as the composite.
    std::function<const Rule&(LayerKind kind, int64_t block)> ruleFor;
    double residualEpsilon = kEpsilonFloor;
};

// One rule everywhere except the input layer and LayerNorm.
Composite uniformComposite(const Rule& body, const Rule& norm, double residualEpsilon,
                           const Rule* inputLayer = nullptr);

struct LrpResult {
    torch::Tensor relevance;  // (B,1,T)
    // Total relevance of example 0 after each step, from the logit down to the input (when asked for).
    std::vector<std::pair<std::string, double>> trace;
};

// Relevance of the target logit (initial relevance: the logit's value) for every example of a
// recorded forward pass (its values are used, not its graph); the per-step totals only when asked.
LrpResult lrpBackward(S4ClassifierImpl& net, const ForwardTrace& forward, int64_t target, const Composite& composite,
                      bool recordTotals = false);
// The same after running the forward pass of x (B,1,T), with the per-step totals.
LrpResult lrpBackward(S4ClassifierImpl& net, const torch::Tensor& x, int64_t target, const Composite& composite);

}  // namespace s4scope
