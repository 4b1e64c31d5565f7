#include "attribution/lrp_rules.h"

#include <map>

#include <ATen/Parallel.h>

namespace s4scope {
namespace {

torch::Tensor positive(const torch::Tensor& t) { return t.clamp_min(0); }
torch::Tensor negative(const torch::Tensor& t) { return t.clamp_max(0); }
torch::Tensor ones(const torch::Tensor& t) { return torch::ones_like(t); }

torch::Tensor applyOr(const TensorModifier& f, const torch::Tensor& t) { return f ? f(t) : t; }

}  // namespace

torch::Tensor stabilisedQuotient(const torch::Tensor& R, const torch::Tensor& z, double epsilon) {
    const auto r = R.expand_as(z).contiguous();
    const auto d = z.contiguous();
    auto out = torch::empty_like(d);
    AT_DISPATCH_FLOATING_TYPES(d.scalar_type(), "stabilisedQuotient", [&] {
        const scalar_t* rp = r.data_ptr<scalar_t>();
        const scalar_t* dp = d.data_ptr<scalar_t>();
        scalar_t* op = out.data_ptr<scalar_t>();
        const auto eps = static_cast<scalar_t>(epsilon);
        at::parallel_for(0, d.numel(), 1 << 16, [&](int64_t begin, int64_t end) {
            // Branch-free so it vectorises: signs of z are as good as random.
            for (int64_t i = begin; i < end; ++i) op[i] = rp[i] / (dp[i] + (dp[i] >= 0 ? eps : -eps));
        });
    });
    return out;
}

namespace {

bool modifiesNothing(const RuleBranch& b) { return !b.input && !b.weight && !b.bias && !b.zeroBias; }

// f(0) .. f(n-1), on the available threads when there is more than one.
template <typename F>
void forEachBranch(size_t n, F f) {
    if (n == 1) return f(0);
    at::parallel_for(0, static_cast<int64_t>(n), 1, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) f(static_cast<size_t>(i));
    });
}

}  // namespace

torch::Tensor applyRule(const Rule& rule, const LinearMap& map, const torch::Tensor& x, const torch::Tensor& R) {
    const size_t n = rule.branches.size();
    struct Evaluated {
        torch::Tensor input, z;
        std::vector<torch::Tensor> weights;
    };
    std::vector<Evaluated> evaluated(n);
    forEachBranch(n, [&](size_t i) {
        const auto& b = rule.branches[i];
        auto& e = evaluated[i];
        e.input = applyOr(b.input, x);
        for (const auto& t : map.weights) e.weights.push_back(applyOr(b.weight, t));
        if (modifiesNothing(b) && map.output.defined()) {
            e.z = map.output;
        } else {
            torch::Tensor bias;
            if (map.bias.defined() && !b.zeroBias) bias = applyOr(b.bias ? b.bias : b.weight, map.bias);
            e.z = map.apply(e.input, e.weights, bias);
        }
        if (b.zSign != 1) e.z = b.zSign * e.z;
    });
    std::map<int, torch::Tensor> denominators;
    for (size_t i = 0; i < n; ++i) {
        auto& d = denominators[rule.branches[i].group];
        d = d.defined() ? d + evaluated[i].z : evaluated[i].z;
    }
    // Per-group scale of R: the coefficient (all branches of a group share one), plus that of an
    // empty other group when redistributing.
    auto scaledRelevance = [&](const RuleBranch& b) {
        torch::Tensor scaled = b.coefficient == 1 ? R : b.coefficient * R;
        if (!rule.redistributeEmptyGroups) return scaled;
        for (const auto& other : rule.branches) {
            if (other.group == b.group) continue;
            const auto empty = (denominators[other.group] == 0).to(R.dtype());
            scaled = scaled + other.coefficient * R * empty;
            break;  // one coefficient per group
        }
        return scaled;
    };
    std::vector<torch::Tensor> quotients(n);
    std::map<std::pair<int, double>, torch::Tensor> byGroup;  // branches of a group share one
    for (size_t i = 0; i < n; ++i) {
        const auto& b = rule.branches[i];
        auto& s = byGroup[{b.group, b.coefficient}];
        if (!s.defined()) s = stabilisedQuotient(scaledRelevance(b), denominators[b.group], rule.epsilon);
        quotients[i] = s;
    }
    std::vector<torch::Tensor> parts(n);
    forEachBranch(n, [&](size_t i) {
        const auto& b = rule.branches[i];
        const auto vjp = map.adjoint(quotients[i], evaluated[i].weights);
        parts[i] = (b.numerator ? b.numerator(x) : evaluated[i].input) * vjp;
    });
    auto result = parts[0];
    for (size_t i = 1; i < n; ++i) result = result + parts[i];
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
