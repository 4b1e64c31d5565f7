#pragma once
// LRP rules for linear maps, as branches (Zennit's BasicHook): for each branch b,
// z_b = W'_b x'_b (+ b'_b), s_g = R / stab(sum of zSign_b z_b over the branches of group g), and
// R_in = sum_b coefficient_b * n_b(x) (.) W'_b^T s_g(b), where n_b(x) is x'_b unless a rule says
// otherwise (SIGN). W'^T s is the vector-Jacobian product of the modified map (each map states its
// adjoint once, tested against autograd), so one function serves every rule and every map.
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <torch/torch.h>

#include "model/sign_split.h"

namespace s4scope {

using TensorModifier = std::function<torch::Tensor(const torch::Tensor&)>;

struct RuleBranch {
    TensorModifier input;      // x -> x' in z (identity when empty)
    TensorModifier numerator;  // x -> n(x) multiplying W'^T s (x' when empty)
    TensorModifier weight;     // each weight tensor w -> w' (identity when empty)
    TensorModifier bias;       // b -> b' (identity when empty; zeroBias drops it)
    bool zeroBias = false;
    int group = 0;
    double zSign = 1;
    double coefficient = 1;
};

struct Rule {
    std::string name;
    std::vector<RuleBranch> branches;
    double epsilon = 1e-9;  // stab(z) = z + epsilon * sign(z), sign(0) = +1
    // alpha-beta: where one group has no contribution at all (a neuron fed by a single input, as
    // the first steps of the causal S4 convolution are), its coefficient moves to the other group,
    // so a neuron always passes on alpha - beta = 1 times its relevance. Elsewhere this is the
    // plain alpha-beta rule.
    bool redistributeEmptyGroups = false;
    // alpha-beta and z+: the groups hold the map's positive terms (x+W+ and x-W-, weight alpha) and
    // its negative terms (x+W- and x-W+, weight -beta), biases (when kept) joining the group of
    // their sign. So where one group is empty and the map's linear part (recorded output minus
    // bias) is zero, every term is zero and nothing needs redistributing; and a map that can sum
    // its terms by sign (LinearMap::signGroups) evaluates the rule in one pass instead of four
    // branches.
    struct BySign {
        double alpha = 1, beta = 0;
        bool biases = true;
    };
    std::optional<BySign> bySign;
};

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
    // For rules whose groups are the terms' signs (Rule::bySign), when the map can: the sums of
    // its positive and negative terms at x (no bias; over at least the first `steps` output
    // steps, -1: all, the maps being causal), and the relevance x (.) (x > 0 ? W+^T p + W-^T n : W-^T p + W+^T n)
    // they pass back for the groups' quotients p and n (n may cover the first steps only; see
    // sign_split.h).
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

Rule zeroRule();                             // LRP-0
Rule epsilonRule(double epsilon);            // LRP-epsilon
Rule gammaRule(double gamma, double epsilon = 1e-6);  // W + gamma W+
Rule alphaBetaRule(double alpha, double beta);
Rule zPlusRule();                            // positive contributions only, no bias
Rule flatRule();                             // x' = 1, W' = 1
Rule wSquareRule();                          // x' = 1, W' = W^2
Rule signRule(double mu, double epsilon);    // LRP-epsilon with sign_mu(x) in the numerator
Rule zBoxRule(double low, double high);      // z^B for inputs bounded in [low, high]

}  // namespace s4scope
