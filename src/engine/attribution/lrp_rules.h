#pragma once
// LRP rules for linear maps (DESIGN.md §3). A rule is named by a small description, as Zennit names
// its rule classes: Epsilon{0.01}, Gamma{0.25}, AlphaBeta{2, 1}, ZPlus{}, ... (RuleSpec). makeRule
// turns a description into what a map evaluates (Rule):
//  - branches (Zennit's BasicHook), which serve every map: for each branch b, z_b = W'_b x'_b (+ b'_b),
//    s_g = R / stab(sum of the z_b of group g), kept only on the outputs the group serves, and
//    R_in = sum_b coefficient_b * n_b(x) (.) W'_b^T s_g(b), where n_b(x) is x'_b unless a rule says
//    otherwise (SIGN). W'^T s is the vector-Jacobian product of the modified map (each map states its
//    adjoint once, tested against autograd), so one function serves every rule and every map;
//  - for the rules whose groups are signs (alpha-beta, z+, gamma), the same rule as sums by sign,
//    which a map that can sum its terms by sign (LinearMap::signGroups) evaluates in one pass.
// Adding a rule: its description below (and in RuleSpec), its makeRule overload in lrp_rules.cpp.
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <torch/torch.h>

#include "model/sign_split.h"

namespace s4scope {

// Every stabiliser is at least this: epsilon = 0 would give 0/0 where z = 0 (DESIGN.md §3).
constexpr double kEpsilonFloor = 1e-9;

namespace rules {
struct Zero {};                                        // LRP-0
struct Epsilon { double epsilon = 1e-6; };             // LRP-epsilon
struct Gamma { double gamma = 0.25; double stabilizer = 1e-6; };  // sign-aware LRP-gamma (Zennit >= 0.5)
struct AlphaBeta { double alpha = 2, beta = 1; bool bias = true; };
struct ZPlus {};                                       // positive contributions only, no biases
struct Flat {};                                        // x' = 1, W' = 1
struct WSquare {};                                     // x' = 1, W' = W^2
struct Sign { double mu = 0; double epsilon = 1e-6; };  // LRP-epsilon with sign_mu(x) as numerator
}  // namespace rules

using RuleSpec = std::variant<rules::Zero, rules::Epsilon, rules::Gamma, rules::AlphaBeta, rules::ZPlus, rules::Flat,
                              rules::WSquare, rules::Sign>;

using TensorModifier = std::function<torch::Tensor(const torch::Tensor&)>;

// Which outputs a branch group passes relevance from, by the sign of the map's unmodified output z.
enum class OutputSign { Any, Positive, Negative };

struct RuleBranch {
    TensorModifier input;      // x -> x' in z (identity when empty)
    TensorModifier numerator;  // x -> n(x) multiplying W'^T s (x' when empty)
    TensorModifier weight;     // each weight tensor w -> w' (identity when empty)
    TensorModifier bias;       // b -> b' (the weight's modifier when empty; zeroBias drops it)
    bool zeroBias = false;
    int group = 0;
    double coefficient = 1;
    OutputSign outputs = OutputSign::Any;  // the same for every branch of a group
};

struct Rule {
    std::string name;
    std::vector<RuleBranch> branches;
    double epsilon = kEpsilonFloor;  // stab(z) = z + epsilon * sign(z), sign(0) = +1
    // alpha-beta: where one group has no contribution at all (a neuron fed by a single input, as
    // the first steps of the causal S4 convolution are), its coefficient moves to the other group,
    // so a neuron always passes on alpha - beta = 1 times its relevance. Elsewhere this is the
    // plain alpha-beta rule.
    bool redistributeEmptyGroups = false;
    // The same rule as sums by sign, for maps with LinearMap::signGroups (empty: branches only).
    struct BySign {
        enum class Denominators {
            // alpha-beta and z+: the map's positive terms (x+W+ and x-W-, weight alpha) over their
            // sum, its negative terms (x+W- and x-W+, weight -beta) over theirs, biases (when kept)
            // joining the group of their sign. Where one group is empty and the map's linear part
            // (recorded output minus bias) is zero, every term is zero and nothing needs redistributing.
            TermSign,
            // sign-aware gamma: an output z > 0 divides by z + gamma (positive terms + b+) and passes
            // x (.) W^T s plus gamma times its positive terms' share; z < 0 the mirror with the
            // negative terms; z = 0 passes nothing (as Zennit).
            OutputSign,
        };
        Denominators denominators = Denominators::TermSign;
        double alpha = 1, beta = 0;  // TermSign
        double gamma = 0;            // OutputSign
        bool biases = true;
    };
    std::optional<BySign> bySign;
};

Rule makeRule(const RuleSpec& spec);
std::string describe(const RuleSpec& spec);  // e.g. "Gamma{0.25}", as a composite's rules are listed

// Shorthands.
inline Rule zeroRule() { return makeRule(rules::Zero{}); }
inline Rule epsilonRule(double epsilon) { return makeRule(rules::Epsilon{epsilon}); }
inline Rule gammaRule(double gamma) { return makeRule(rules::Gamma{gamma}); }
inline Rule alphaBetaRule(double alpha, double beta) { return makeRule(rules::AlphaBeta{alpha, beta}); }
inline Rule zPlusRule() { return makeRule(rules::ZPlus{}); }

// A linear (affine) map given by weight tensors, a bias, how to apply them and the adjoint of the
// weights' linear part (its vector-Jacobian product W^T s), so a rule can evaluate the map with
// modified weights and pass relevance back without building an autograd graph.
using WeightedMap = std::function<torch::Tensor(const torch::Tensor&, const std::vector<torch::Tensor>&)>;
struct LinearMap {
    std::vector<torch::Tensor> weights;
    torch::Tensor bias;  // may be undefined
    std::function<torch::Tensor(const torch::Tensor& x, const std::vector<torch::Tensor>& w, const torch::Tensor& b)>
        apply;
    WeightedMap adjoint;  // (s, w) -> W^T s, the input-shaped VJP of apply(., w, no bias)
    // The map's output at x as the forward pass recorded it, when known: branches that modify
    // nothing (LRP-0, epsilon, SIGN) use it instead of evaluating the map again.
    torch::Tensor output;
    // For rules with a sign-split form (Rule::bySign), when the map can: the sums of its positive
    // and negative terms at x (no bias; over at least the first `steps` output steps, -1: all, the
    // maps being causal), and the relevance x (.) (x > 0 ? W+^T p + W-^T n : W-^T p + W+^T n)
    // passed back for per-output factors p and n (n may cover the first steps only; see sign_split.h).
    std::function<SignGroups(const torch::Tensor& x, WhichGroups which, int64_t steps)> signGroups;
    std::function<torch::Tensor(const torch::Tensor& x, const torch::Tensor& p, const torch::Tensor& n)>
        signGroupsAdjoint;
};

// R / stab(z), stab(z) = z + epsilon * sign(z) with sign(0) = +1, in one pass.
torch::Tensor stabilisedQuotient(const torch::Tensor& R, const torch::Tensor& z, double epsilon);

// A sum's relevance R split in proportion to its two summands: (first, second) (.) R / stab(sum),
// in one pass (all of one shape).
std::pair<torch::Tensor, torch::Tensor> splitBySummands(const torch::Tensor& R, const torch::Tensor& sum,
                                                        const torch::Tensor& first, const torch::Tensor& second,
                                                        double epsilon);

// Relevance of the map's input, given the relevance R of its output at input x.
torch::Tensor applyRule(const Rule& rule, const LinearMap& map, const torch::Tensor& x, const torch::Tensor& R);

}  // namespace s4scope
