#include "attribution/lrp_rules.h"

#include <map>

#include <ATen/Parallel.h>

namespace s4scope {
namespace {

torch::Tensor positive(const torch::Tensor& t) { return t.clamp_min(0); }
torch::Tensor negative(const torch::Tensor& t) { return t.clamp_max(0); }
torch::Tensor ones(const torch::Tensor& t) { return torch::ones_like(t); }

torch::Tensor applyOr(const TensorModifier& f, const torch::Tensor& t) { return f ? f(t) : t; }

// (c R + c_o R [d_o == 0]) / stab(d) in one pass; the second term only when dOther is defined.
torch::Tensor groupQuotient(const torch::Tensor& R, const torch::Tensor& d, double c, const torch::Tensor& dOther,
                            double cOther, double epsilon) {
    const auto r = R.expand_as(d).contiguous();
    const auto dd = d.contiguous();
    const auto other = dOther.defined() ? dOther.contiguous() : dd;
    auto out = torch::empty_like(dd);
    AT_DISPATCH_FLOATING_TYPES(dd.scalar_type(), "groupQuotient", [&] {
        const scalar_t* rp = r.data_ptr<scalar_t>();
        const scalar_t* dp = dd.data_ptr<scalar_t>();
        const scalar_t* op = other.data_ptr<scalar_t>();
        scalar_t* outp = out.data_ptr<scalar_t>();
        const auto eps = static_cast<scalar_t>(epsilon), cs = static_cast<scalar_t>(c);
        const auto co = static_cast<scalar_t>(dOther.defined() ? cOther : 0.0);
        at::parallel_for(0, dd.numel(), 1 << 16, [&](int64_t begin, int64_t end) {
            // Branch-free so it vectorises: signs of z are as good as random.
            for (int64_t i = begin; i < end; ++i) {
                const scalar_t scaled = rp[i] * (cs + (op[i] == 0 ? co : scalar_t(0)));
                outp[i] = scaled / (dp[i] + (dp[i] >= 0 ? eps : -eps));
            }
        });
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

}  // namespace

torch::Tensor stabilisedQuotient(const torch::Tensor& R, const torch::Tensor& z, double epsilon) {
    return groupQuotient(R, z, 1.0, torch::Tensor(), 0.0, epsilon);
}

torch::Tensor applyRule(const Rule& rule, const LinearMap& map, const torch::Tensor& x, const torch::Tensor& R) {
    const size_t n = rule.branches.size();
    struct Evaluated {
        torch::Tensor input, bias, z;
        std::vector<torch::Tensor> weights;
        bool recorded = false;
    };
    std::vector<Evaluated> evaluated(n);
    ModifierMemo modified;
    for (size_t i = 0; i < n; ++i) {
        const auto& b = rule.branches[i];
        auto& e = evaluated[i];
        e.input = modified(b.input, x);
        for (const auto& t : map.weights) e.weights.push_back(modified(b.weight, t));
        e.recorded = modifiesNothing(b) && map.output.defined();
        if (map.bias.defined() && !b.zeroBias) e.bias = modified(b.bias ? b.bias : b.weight, map.bias);
    }
    for (size_t i = 0; i < n; ++i) {
        auto& e = evaluated[i];
        e.z = e.recorded ? map.output : map.apply(e.input, e.weights, e.bias);
        if (rule.branches[i].zSign != 1) e.z = rule.branches[i].zSign * e.z;
    }
    std::map<int, torch::Tensor> denominators;
    for (size_t i = 0; i < n; ++i) {
        auto& d = denominators[rule.branches[i].group];
        d = d.defined() ? d + evaluated[i].z : evaluated[i].z;
    }
    // One quotient per (group, coefficient). When redistributing, a group also takes the
    // coefficient of the other group (its first branch's) where that group is empty.
    std::vector<torch::Tensor> quotients(n);
    std::map<std::pair<int, double>, torch::Tensor> shared;
    for (size_t i = 0; i < n; ++i) {
        const auto& b = rule.branches[i];
        auto& s = shared[{b.group, b.coefficient}];
        if (!s.defined()) {
            torch::Tensor otherDenominator;
            double otherCoefficient = 0;
            if (rule.redistributeEmptyGroups) {
                for (const auto& other : rule.branches) {
                    if (other.group == b.group) continue;
                    otherDenominator = denominators[other.group];
                    otherCoefficient = other.coefficient;
                    break;
                }
            }
            s = groupQuotient(R, denominators[b.group], b.coefficient, otherDenominator, otherCoefficient,
                              rule.epsilon);
        }
        quotients[i] = s;
    }
    std::vector<torch::Tensor> vjps(n);
    for (size_t i = 0; i < n; ++i) vjps[i] = map.adjoint(quotients[i], evaluated[i].weights);
    auto numerator = [&](size_t i) {
        return rule.branches[i].numerator ? rule.branches[i].numerator(x) : evaluated[i].input;
    };
    auto result = numerator(0) * vjps[0];
    for (size_t i = 1; i < n; ++i) result.addcmul_(numerator(i), vjps[i]);
    return result;
}

Rule zeroRule() { return {"LRP-0", {RuleBranch{}}, 1e-9}; }

Rule epsilonRule(double epsilon) { return {"LRP-epsilon", {RuleBranch{}}, epsilon}; }

Rule gammaRule(double gamma, double epsilon) {
    RuleBranch b;
    b.weight = [gamma](const torch::Tensor& w) { return w + gamma * w.clamp_min(0); };
    return {"LRP-gamma", {b}, epsilon};
}

Rule alphaBetaRule(double alpha, double beta) {
    // Positive contributions x+W+ and x-W- share one denominator, negative ones x+W- and x-W+ the
    // other; biases join the branch of their sign (as in Zennit).
    auto branch = [](TensorModifier in, TensorModifier w, bool keepBias, int group, double c) {
        RuleBranch b;
        b.input = std::move(in);
        b.weight = std::move(w);
        b.zeroBias = !keepBias;
        b.group = group;
        b.coefficient = c;
        return b;
    };
    return {"LRP-alpha-beta",
            {branch(positive, positive, true, 0, alpha), branch(negative, negative, false, 0, alpha),
             branch(positive, negative, true, 1, -beta), branch(negative, positive, false, 1, -beta)},
            1e-9, /*redistributeEmptyGroups=*/true};
}

Rule zPlusRule() {
    // alpha = 1, beta = 0 without biases; the negative group (coefficient 0) only matters for
    // neurons that have no positive contribution at all.
    Rule r = alphaBetaRule(1, 0);
    r.name = "LRP-z+";
    for (auto& b : r.branches) b.zeroBias = true;
    return r;
}

Rule flatRule() {
    RuleBranch b;
    b.input = ones;
    b.weight = ones;
    b.zeroBias = true;
    return {"flat", {b}, 1e-9};
}

Rule wSquareRule() {
    RuleBranch b;
    b.input = ones;
    b.weight = [](const torch::Tensor& w) { return w * w; };
    b.zeroBias = true;
    return {"w-square", {b}, 1e-9};
}

Rule signRule(double mu, double epsilon) {
    RuleBranch b;
    b.numerator = [mu](const torch::Tensor& x) { return torch::where(x >= mu, 1.0, -1.0).to(x.dtype()); };
    return {"SIGN", {b}, epsilon};
}

Rule zBoxRule(double low, double high) {
    RuleBranch x;
    RuleBranch l;
    l.input = [low](const torch::Tensor& t) { return torch::full_like(t, low); };
    l.weight = positive;
    l.zeroBias = true;
    l.zSign = -1;
    l.coefficient = -1;
    RuleBranch h;
    h.input = [high](const torch::Tensor& t) { return torch::full_like(t, high); };
    h.weight = negative;
    h.zeroBias = true;
    h.zSign = -1;
    h.coefficient = -1;
    return {"z-box", {x, l, h}, 1e-9};
}

}  // namespace s4scope
