#include "attribution/lrp_rules.h"

namespace s4scope {
namespace {

torch::Tensor positive(const torch::Tensor& t) { return t.clamp_min(0); }
torch::Tensor negative(const torch::Tensor& t) { return t.clamp_max(0); }
torch::Tensor ones(const torch::Tensor& t) { return torch::ones_like(t); }

torch::Tensor applyOr(const TensorModifier& f, const torch::Tensor& t) { return f ? f(t) : t; }

}  // namespace

torch::Tensor stabilise(const torch::Tensor& z, double epsilon) {
    return z + (2 * epsilon) * z.ge(0).to(z.scalar_type()) - epsilon;
}

torch::Tensor applyRule(const Rule& rule, const LinearMap& map, const torch::Tensor& x, const torch::Tensor& R) {
    torch::AutoGradMode enable(true);
    struct Evaluated {
        torch::Tensor input, z;
    };
    std::vector<Evaluated> evaluated;
    std::map<int, torch::Tensor> denominators;
    for (const auto& b : rule.branches) {
        const auto input = applyOr(b.input, x.detach()).detach().requires_grad_(true);
        std::vector<torch::Tensor> w;
        for (const auto& t : map.weights) w.push_back(applyOr(b.weight, t));
        torch::Tensor bias;
        if (map.bias.defined() && !b.zeroBias) bias = applyOr(b.bias ? b.bias : b.weight, map.bias);
        const auto z = map.apply(input, w, bias);
        evaluated.push_back({input, z});
        auto& d = denominators[b.group];
        d = d.defined() ? d + b.zSign * z.detach() : b.zSign * z.detach();
    }
    // Per-branch scale of R: its coefficient, plus those of empty groups when redistributing.
    auto scaledRelevance = [&](const RuleBranch& b) {
        torch::Tensor scaled = b.coefficient * R;
        if (!rule.redistributeEmptyGroups) return scaled;
        for (const auto& other : rule.branches) {
            if (other.group == b.group) continue;
            const auto empty = (denominators[other.group] == 0).to(R.dtype());
            scaled = scaled + other.coefficient * R * empty;
            break;  // one coefficient per group
        }
        return scaled;
    };
    torch::Tensor result;
    for (size_t i = 0; i < rule.branches.size(); ++i) {
        const auto& b = rule.branches[i];
        const auto s = scaledRelevance(b) / stabilise(denominators[b.group], rule.epsilon);
        const auto vjp = torch::autograd::grad({evaluated[i].z}, {evaluated[i].input}, {s})[0];
        const auto n = b.numerator ? b.numerator(x.detach()) : evaluated[i].input.detach();
        const auto part = n * vjp;
        result = result.defined() ? result + part : part;
    }
    return result.detach();
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
