#include "attribution/lrp_rules.h"

#include <algorithm>
#include <map>
#include <sstream>

#include "model/simd.h"

namespace s4scope {
namespace {

torch::Tensor positive(const torch::Tensor& t) { return t.clamp_min(0); }
torch::Tensor negative(const torch::Tensor& t) { return t.clamp_max(0); }
torch::Tensor ones(const torch::Tensor& t) { return torch::ones_like(t); }

torch::Tensor applyOr(const TensorModifier& f, const torch::Tensor& t) { return f ? f(t) : t; }

// stab(d) = d + eps sign(d), sign(0) = +1: one convention for every LRP denominator.
template <typename T>
inline T stabilised(T d, T eps) {
    return d + (d >= T(0) ? eps : -eps);
}

// Every stabiliser a loop receives, never below the floor.
template <typename T>
T floored(double epsilon) {
    return static_cast<T>(std::max(epsilon, kEpsilonFloor));
}

// out = R (c + c_o [o == 0]) / (d + eps sign(d)), sign(0) = +1. Branch-free so it vectorises
// (the signs of z are as good as random); a scalar loop with divss was ~45% of LRP-epsilon.
template <typename T>
S4_VECTOR_CLONES void quotientLoop(const T* __restrict r, const T* __restrict d, const T* __restrict o, T c, T co,
                                   T eps, int64_t n, T* __restrict out) {
#pragma omp simd
    for (int64_t i = 0; i < n; ++i) {
        const T scaled = r[i] * (c + (o[i] == T(0) ? co : T(0)));
        out[i] = scaled / stabilised(d[i], eps);
    }
}

template <typename T>
S4_VECTOR_CLONES void splitLoop(const T* __restrict r, const T* __restrict sum, const T* __restrict a,
                                const T* __restrict b, T eps, int64_t n, T* __restrict outA, T* __restrict outB) {
#pragma omp simd
    for (int64_t i = 0; i < n; ++i) {
        const T s = r[i] / stabilised(sum[i], eps);
        outA[i] = a[i] * s;
        outB[i] = b[i] * s;
    }
}

// Sign-aware gamma's factors for one row of outputs (bias parts bp >= 0 >= bn): with
// q = R / stab(z + gamma (P + bp)) where z > 0 and R / stab(z + gamma (N + bn)) where z < 0,
// p = (1 + gamma [z > 0]) q and n = (1 + gamma [z < 0]) q, both 0 where z = 0. Branch-free.
template <typename T>
S4_VECTOR_CLONES void gammaFactorsLoop(const T* __restrict r, const T* __restrict z, const T* __restrict P,
                                       const T* __restrict N, T bp, T bn, T gamma, T eps, int64_t n,
                                       T* __restrict outP, T* __restrict outN) {
#pragma omp simd
    for (int64_t i = 0; i < n; ++i) {
        const bool up = z[i] > T(0), down = z[i] < T(0);
        const T d = z[i] + gamma * (up ? P[i] + bp : N[i] + bn);
        const T q = (up || down) ? r[i] / stabilised(d, eps) : T(0);
        outP[i] = up ? (T(1) + gamma) * q : q;
        outN[i] = down ? (T(1) + gamma) * q : q;
    }
}

// (c R + c_o R [d_o == 0]) / stab(d) in one pass; the second term only when dOther is defined.
torch::Tensor groupQuotient(const torch::Tensor& R, const torch::Tensor& d, double c, const torch::Tensor& dOther,
                            double cOther, double epsilon) {
    const auto r = (R.sizes() == d.sizes() ? R : R.expand_as(d)).contiguous();  // no view when shapes agree
    const auto dd = d.contiguous();
    const auto other = dOther.defined() ? dOther.contiguous() : dd;
    auto out = torch::empty_like(dd);
    AT_DISPATCH_FLOATING_TYPES(dd.scalar_type(), "groupQuotient", [&] {
        const auto co = static_cast<scalar_t>(dOther.defined() ? cOther : 0.0);
        quotientLoop<scalar_t>(r.data_ptr<scalar_t>(), dd.data_ptr<scalar_t>(), other.data_ptr<scalar_t>(),
                               static_cast<scalar_t>(c), co, floored<scalar_t>(epsilon), dd.numel(),
                               out.data_ptr<scalar_t>());
    });
    return out;
}

// Modified tensors computed once per call: alpha-beta's four branches need x+, x-, W+ and W- twice
// each. Only plain-function modifiers can be recognised as the same.
class ModifierMemo {
public:
    torch::Tensor operator()(const TensorModifier& f, const torch::Tensor& t) {
        if (!f) return t;
        using Plain = torch::Tensor (*)(const torch::Tensor&);
        const Plain* plain = f.target<Plain>();
        if (!plain) return f(t);
        auto& slot = memo_[{reinterpret_cast<const void*>(*plain), t.unsafeGetTensorImpl()}];
        if (!slot.defined()) slot = f(t);
        return slot;
    }

private:
    std::map<std::pair<const void*, const void*>, torch::Tensor> memo_;
};

bool modifiesNothing(const RuleBranch& b) { return !b.input && !b.weight && !b.bias && !b.zeroBias; }

// A bias (channels) viewed to broadcast over a map output (B, channels[, L]).
std::vector<int64_t> biasShape(const torch::Tensor& output) {
    std::vector<int64_t> shape(output.dim(), 1);
    shape[1] = -1;
    return shape;
}

// z[:, j, ...] += max(b_j, 0) (positivePart) or min(b_j, 0): a bias joins the group of its sign.
// One loop (a clamp, a view and an add were three tensor operations).
void addBiasPart(torch::Tensor& z, const torch::Tensor& bias, bool positivePart) {
    TORCH_CHECK(z.is_contiguous() && bias.numel() == z.size(1), "addBiasPart: contiguous (B,J,...) and J biases");
    const auto b = bias.contiguous();
    const int64_t outer = z.size(0), J = z.size(1), inner = z.numel() / std::max<int64_t>(1, outer * J);
    AT_DISPATCH_FLOATING_TYPES(z.scalar_type(), "addBiasPart", [&] {
        scalar_t* zp = z.data_ptr<scalar_t>();
        const scalar_t* bp = b.data_ptr<scalar_t>();
        for (int64_t n = 0; n < outer; ++n)
            for (int64_t j = 0; j < J; ++j) {
                const scalar_t part = positivePart ? std::max(bp[j], scalar_t(0)) : std::min(bp[j], scalar_t(0));
                scalar_t* row = zp + (n * J + j) * inner;
                for (int64_t i = 0; i < inner; ++i) row[i] += part;
            }
    });
}

// The map's linear part at x as recorded: output minus bias.
torch::Tensor linearPart(const LinearMap& map) {
    return map.bias.defined() ? map.output - map.bias.view(biasShape(map.output)) : map.output;
}

// The last time step (the last dimension) where the positive group is empty but the map's linear
// part (output minus bias) is not, or -1: one pass instead of five tensor operations per map.
int64_t lastStepToRedistribute(const torch::Tensor& zPositive, const LinearMap& map) {
    const auto z = zPositive.contiguous();
    const auto out = map.output.defined() ? map.output.contiguous() : torch::Tensor();
    const auto bias = map.bias.defined() ? map.bias.contiguous() : torch::Tensor();
    const int64_t L = z.size(-1), rows = z.numel() / L, channels = z.size(1);
    int64_t last = -1;
    AT_DISPATCH_FLOATING_TYPES(z.scalar_type(), "lastStepToRedistribute", [&] {
        const scalar_t* zp = z.data_ptr<scalar_t>();
        const scalar_t* op = out.defined() ? out.data_ptr<scalar_t>() : nullptr;
        const scalar_t* bp = bias.defined() ? bias.data_ptr<scalar_t>() : nullptr;
        for (int64_t r = 0; r < rows; ++r) {
            const scalar_t b = bp ? bp[r % channels] : scalar_t(0);
            for (int64_t l = L - 1; l > last; --l)
                if (zp[r * L + l] == 0 && (!op || op[r * L + l] != b)) {
                    last = l;
                    break;
                }
        }
    });
    return last;
}

// alpha-beta / z+ on a map that sums its terms by sign: the groups, quotients and redistribution
// of the branch formulation in applyRule, with every term multiplied once per pass (not four times).
torch::Tensor applyBySign(const Rule& rule, const LinearMap& map, const torch::Tensor& x, const torch::Tensor& R) {
    const auto& s = *rule.bySign;
    const bool biases = s.biases && map.bias.defined();
    auto addBias = [&](torch::Tensor& z, bool positivePart) {
        if (biases) addBiasPart(z, map.bias, positivePart);
    };
    auto groups = map.signGroups(x, s.beta != 0 ? WhichGroups::Both : WhichGroups::Positive, -1);
    auto zPositive = groups.positive, zNegative = groups.negative;
    addBias(zPositive, true);
    if (zNegative.defined()) addBias(zNegative, false);
    if (!zNegative.defined() && rule.redistributeEmptyGroups) {
        // beta = 0: the negative group passes relevance only where it takes over an empty positive
        // group with something in it (as in applyRule); the maps are causal, so it is evaluated up
        // to the last such step only (the S4 maps' leading steps, where a neuron has few terms).
        const int64_t last = lastStepToRedistribute(zPositive, map);
        if (last >= 0) {
            zNegative = map.signGroups(x, WhichGroups::Negative, last + 1).negative;
            addBias(zNegative, false);
        }
    }
    const double cp = s.alpha, cn = -s.beta;
    const bool redistribute = rule.redistributeEmptyGroups;
    const auto p = groupQuotient(R, zPositive, cp, redistribute && cn != 0 ? zNegative : torch::Tensor(), cn, rule.epsilon);
    torch::Tensor n;
    if (zNegative.defined()) {
        const int64_t steps = zNegative.size(-1);
        n = groupQuotient(R.narrow(-1, 0, steps), zNegative, cn,
                          redistribute && cp != 0 ? zPositive.narrow(-1, 0, steps) : torch::Tensor(), cp, rule.epsilon);
    }
    return map.signGroupsAdjoint(x, p, n);
}

// Sign-aware gamma on a map that sums its terms by sign. With P and N the sums of the positive and
// negative terms, W^ = W + gamma W+ and Wv = W + gamma W-: z^ = W^ x+ + Wv x- + b + gamma b+ =
// z + gamma (P + b+) and zv = z + gamma (N + b-). With s^ and sv the quotients on the outputs
// z > 0 and z < 0, the relevance x+ (.) (W^T s^ + Wv^T sv) + x- (.) (Wv^T s^ + W^T sv) is one
// sign-split adjoint, x (.) (x > 0 ? W+^T p + W-^T n : W-^T p + W+^T n), with p = s^ + sv + gamma s^
// and n = s^ + sv + gamma sv: one pass for the sums, one for the adjoint, as alpha1-beta0.
torch::Tensor applyGammaBySign(const Rule& rule, const LinearMap& map, const torch::Tensor& x, const torch::Tensor& R) {
    const double gamma = rule.bySign->gamma;
    const bool biases = rule.bySign->biases && map.bias.defined();
    // With the output recorded, the negative terms are what the linear part leaves: N = z - b - P,
    // so only the positive group is summed.
    const bool recorded = map.output.defined();
    const auto groups = map.signGroups(x, recorded ? WhichGroups::Positive : WhichGroups::Both, -1);
    const auto P = groups.positive.contiguous();
    torch::Tensor z = map.output, N = groups.negative;
    if (recorded) {
        N = linearPart(map) - P;
    } else {
        z = P + N;
        if (map.bias.defined()) z = z + map.bias.view(biasShape(z));
    }
    z = z.contiguous();
    N = N.contiguous();
    const auto r = (R.sizes() == z.sizes() ? R : R.expand_as(z)).contiguous();
    const auto bias = biases ? map.bias.contiguous() : torch::Tensor();
    auto p = torch::empty_like(z), n = torch::empty_like(z);
    const int64_t outer = z.size(0), J = z.dim() > 1 ? z.size(1) : 1, inner = z.numel() / std::max<int64_t>(1, outer * J);
    AT_DISPATCH_FLOATING_TYPES(z.scalar_type(), "gammaFactors", [&] {
        const scalar_t* b = bias.defined() ? bias.data_ptr<scalar_t>() : nullptr;
        for (int64_t o = 0; o < outer; ++o)
            for (int64_t j = 0; j < J; ++j) {
                const int64_t at = (o * J + j) * inner;
                const scalar_t bj = b ? b[j] : scalar_t(0);
                gammaFactorsLoop<scalar_t>(r.data_ptr<scalar_t>() + at, z.data_ptr<scalar_t>() + at,
                                           P.data_ptr<scalar_t>() + at, N.data_ptr<scalar_t>() + at,
                                           std::max(bj, scalar_t(0)), std::min(bj, scalar_t(0)),
                                           static_cast<scalar_t>(gamma), floored<scalar_t>(rule.epsilon), inner,
                                           p.data_ptr<scalar_t>() + at, n.data_ptr<scalar_t>() + at);
            }
    });
    return map.signGroupsAdjoint(x, p, n);
}

}  // namespace

std::pair<torch::Tensor, torch::Tensor> splitBySummands(const torch::Tensor& R, const torch::Tensor& sum,
                                                        const torch::Tensor& first, const torch::Tensor& second,
                                                        double epsilon) {
    TORCH_CHECK(R.sizes() == sum.sizes() && first.sizes() == sum.sizes() && second.sizes() == sum.sizes(),
                "splitBySummands: R, the sum and its summands must share a shape");
    const auto r = R.contiguous(), s = sum.contiguous(), a = first.contiguous(), b = second.contiguous();
    auto outA = torch::empty_like(s), outB = torch::empty_like(s);
    AT_DISPATCH_FLOATING_TYPES(s.scalar_type(), "splitBySummands", [&] {
        splitLoop<scalar_t>(r.data_ptr<scalar_t>(), s.data_ptr<scalar_t>(), a.data_ptr<scalar_t>(),
                            b.data_ptr<scalar_t>(), floored<scalar_t>(epsilon), s.numel(),
                            outA.data_ptr<scalar_t>(), outB.data_ptr<scalar_t>());
    });
    return {outA, outB};
}

torch::Tensor stabilisedQuotient(const torch::Tensor& R, const torch::Tensor& z, double epsilon) {
    return groupQuotient(R, z, 1.0, torch::Tensor(), 0.0, epsilon);
}

torch::Tensor applyRule(const Rule& rule, const LinearMap& map, const torch::Tensor& x, const torch::Tensor& R) {
    if (rule.bySign && map.signGroups)
        return rule.bySign->denominators == Rule::BySign::Denominators::OutputSign ? applyGammaBySign(rule, map, x, R)
                                                                                    : applyBySign(rule, map, x, R);
    struct Evaluated {
        torch::Tensor input, z;
        std::vector<torch::Tensor> weights;
    };
    struct Group {
        int id = 0;
        std::vector<size_t> branches;
        double coefficient = 0;  // its first branch's: what it hands over when redistributing
        OutputSign outputs = OutputSign::Any;
        bool passesNothing = true;
        torch::Tensor denominator;  // defined once evaluated
    };
    std::vector<Group> groups;
    for (size_t i = 0; i < rule.branches.size(); ++i) {
        const auto& b = rule.branches[i];
        auto g = std::find_if(groups.begin(), groups.end(), [&](const Group& e) { return e.id == b.group; });
        if (g == groups.end()) {
            groups.push_back(Group{b.group, {}, b.coefficient, b.outputs});
            g = std::prev(groups.end());
        }
        g->branches.push_back(i);
        if (b.coefficient != 0) g->passesNothing = false;
    }
    auto otherOf = [&](const Group& g) -> const Group* {
        for (const auto& o : groups)
            if (o.id != g.id) return &o;
        return nullptr;
    };

    std::vector<Evaluated> evaluated(rule.branches.size());
    ModifierMemo modified;
    auto evaluate = [&](Group& g) {
        for (size_t i : g.branches) {
            const auto& b = rule.branches[i];
            auto& e = evaluated[i];
            e.input = modified(b.input, x);
            for (const auto& t : map.weights) e.weights.push_back(modified(b.weight, t));
            torch::Tensor bias;
            if (map.bias.defined() && !b.zeroBias) bias = modified(b.bias ? b.bias : b.weight, map.bias);
            const bool recorded = modifiesNothing(b) && map.output.defined();
            e.z = recorded ? map.output : map.apply(e.input, e.weights, bias);
            g.denominator = g.denominator.defined() ? g.denominator + e.z : e.z;
        }
    };
    // The other group's denominator and coefficient, where redistribution makes them matter.
    auto takesOver = [&](const Group& g) -> const Group* {
        const Group* o = otherOf(g);
        return rule.redistributeEmptyGroups && o && o->coefficient != 0 && o->denominator.defined() ? o : nullptr;
    };
    for (auto& g : groups)
        if (!g.passesNothing) evaluate(g);
    // A group whose coefficients are all zero (alpha1-beta0's and z+'s negative one) passes nothing
    // on, except where it takes over an empty group's coefficient: evaluated only then, which
    // halves those rules' work and changes no value.
    for (auto& g : groups) {
        if (!g.passesNothing) continue;
        const Group* o = takesOver(g);
        if (!o) continue;
        auto needed = o->denominator == 0;
        // Both groups empty (an all-zero input frame, say): every term is zero, nothing to pass.
        if (rule.bySign && map.output.defined()) needed.logical_and_(linearPart(map) != 0);
        if (needed.any().item<bool>()) evaluate(g);
    }

    // A group serving the outputs of one sign (sign-aware gamma) keeps its quotients there only;
    // the sign is the unmodified map's output's.
    torch::Tensor unmodified;
    auto servedOnly = [&](OutputSign outputs, const torch::Tensor& s) {
        if (outputs == OutputSign::Any) return s;
        if (!unmodified.defined())
            unmodified = map.output.defined() ? map.output : map.apply(x, map.weights, map.bias);
        const auto served = outputs == OutputSign::Positive ? unmodified > 0 : unmodified < 0;
        return torch::where(served, s, torch::zeros_like(s));
    };
    torch::Tensor result;
    for (const auto& g : groups) {
        if (!g.denominator.defined()) continue;
        const Group* o = takesOver(g);
        // One quotient per coefficient within the group.
        std::map<double, torch::Tensor> quotients;
        for (size_t i : g.branches) {
            const auto& b = rule.branches[i];
            auto& s = quotients[b.coefficient];
            if (!s.defined())
                s = servedOnly(g.outputs, groupQuotient(R, g.denominator, b.coefficient,
                                                        o ? o->denominator : torch::Tensor(),
                                                        o ? o->coefficient : 0.0, rule.epsilon));
            const auto vjp = map.adjoint(s, evaluated[i].weights);
            const auto numerator = b.numerator ? b.numerator(x) : evaluated[i].input;
            if (result.defined())
                result.addcmul_(numerator, vjp);
            else
                result = numerator * vjp;
        }
    }
    return result.defined() ? result : torch::zeros_like(x);
}


// Each rule description as branches (and its sign-split form where it has one).
namespace {

torch::Tensor signOf(const torch::Tensor& x, double mu) { return torch::where(x >= mu, 1.0, -1.0).to(x.dtype()); }

RuleBranch branch(TensorModifier input, TensorModifier weight, bool keepBias, int group, double coefficient,
                  OutputSign outputs = OutputSign::Any) {
    RuleBranch b;
    b.input = std::move(input);
    b.weight = std::move(weight);
    b.zeroBias = !keepBias;
    b.group = group;
    b.coefficient = coefficient;
    b.outputs = outputs;
    return b;
}

Rule build(const rules::Zero&) { return {"LRP-0", {RuleBranch{}}, kEpsilonFloor}; }

Rule build(const rules::Epsilon& r) { return {"LRP-epsilon", {RuleBranch{}}, std::max(r.epsilon, kEpsilonFloor)}; }

Rule build(const rules::Gamma& r) {
    // Zennit's Gamma: outputs z > 0 take x+ through W + gamma W+ (with b + gamma b+) and x- through
    // W + gamma W- over the sum of the two; outputs z < 0 the mirror.
    const double gamma = r.gamma;
    const TensorModifier up = [gamma](const torch::Tensor& w) { return w + gamma * w.clamp_min(0); };
    const TensorModifier down = [gamma](const torch::Tensor& w) { return w + gamma * w.clamp_max(0); };
    Rule rule{"LRP-gamma",
              {branch(positive, up, true, 0, 1, OutputSign::Positive), branch(negative, down, false, 0, 1, OutputSign::Positive),
               branch(positive, down, true, 1, 1, OutputSign::Negative), branch(negative, up, false, 1, 1, OutputSign::Negative)},
              std::max(r.stabilizer, kEpsilonFloor)};
    Rule::BySign bySign;
    bySign.denominators = Rule::BySign::Denominators::OutputSign;
    bySign.gamma = gamma;
    rule.bySign = bySign;
    return rule;
}

Rule build(const rules::AlphaBeta& r) {
    // Positive contributions x+W+ and x-W- share one denominator, negative ones x+W- and x-W+ the
    // other; biases join the branch of their sign (as in Zennit).
    Rule rule{"LRP-alpha-beta",
              {branch(positive, positive, r.bias, 0, r.alpha), branch(negative, negative, false, 0, r.alpha),
               branch(positive, negative, r.bias, 1, -r.beta), branch(negative, positive, false, 1, -r.beta)},
              kEpsilonFloor, /*redistributeEmptyGroups=*/true};
    Rule::BySign bySign;
    bySign.alpha = r.alpha;
    bySign.beta = r.beta;
    bySign.biases = r.bias;
    rule.bySign = bySign;
    return rule;
}

Rule build(const rules::ZPlus&) {
    // alpha = 1, beta = 0 without biases; the negative group (coefficient 0) only matters for
    // neurons that have no positive contribution at all.
    Rule rule = build(rules::AlphaBeta{1, 0, /*bias=*/false});
    rule.name = "LRP-z+";
    return rule;
}

Rule build(const rules::Flat&) {
    RuleBranch b;
    b.input = ones;
    b.weight = ones;
    b.zeroBias = true;
    return {"flat", {b}, kEpsilonFloor};
}

Rule build(const rules::WSquare&) {
    RuleBranch b;
    b.input = ones;
    b.weight = [](const torch::Tensor& w) { return w * w; };
    b.zeroBias = true;
    return {"w-square", {b}, kEpsilonFloor};
}

Rule build(const rules::Sign& r) {
    RuleBranch b;
    const double mu = r.mu;
    b.numerator = [mu](const torch::Tensor& x) { return signOf(x, mu); };
    return {"SIGN", {b}, std::max(r.epsilon, kEpsilonFloor)};
}

std::string number(double v) {
    std::ostringstream s;
    s << v;
    return s.str();
}

std::string text(const rules::Zero&) { return "Zero"; }
std::string text(const rules::Epsilon& r) { return "Epsilon{" + number(r.epsilon) + "}"; }
std::string text(const rules::Gamma& r) { return "Gamma{" + number(r.gamma) + "}"; }
std::string text(const rules::AlphaBeta& r) {
    return "AlphaBeta{" + number(r.alpha) + ", " + number(r.beta) + (r.bias ? "" : ", no bias") + "}";
}
std::string text(const rules::ZPlus&) { return "ZPlus"; }
std::string text(const rules::Flat&) { return "Flat"; }
std::string text(const rules::WSquare&) { return "WSquare"; }
std::string text(const rules::Sign& r) { return "Sign{" + number(r.mu) + ", " + number(r.epsilon) + "}"; }

}  // namespace

Rule makeRule(const RuleSpec& spec) {
    return std::visit([](const auto& r) { return build(r); }, spec);
}

std::string describe(const RuleSpec& spec) {
    return std::visit([](const auto& r) { return text(r); }, spec);
}

}  // namespace s4scope
