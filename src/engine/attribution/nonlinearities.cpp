#include "attribution/nonlinearities.h"

#include <cmath>

namespace s4scope {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

torch::Tensor normalCdf(const torch::Tensor& y) { return 0.5 * (1.0 + torch::erf(y * M_SQRT1_2)); }

struct GuidedGeluFn : public torch::autograd::Function<GuidedGeluFn> {
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& y) {
        ctx->save_for_backward({y});
        return torch::gelu(y);
    }
    static tensor_list backward(AutogradContext* ctx, tensor_list grads) {
        const auto y = ctx->get_saved_variables()[0];
        const auto g = grads[0].clamp_min(0) * (y > 0).to(grads[0].dtype());
        return {at::gelu_backward(g, y)};
    }
};

enum class Univariate : int64_t { Gelu, Sigmoid, Rsqrt };

torch::Tensor evaluate(Univariate f, const torch::Tensor& x) {
    switch (f) {
    case Univariate::Gelu: return torch::gelu(x);
    case Univariate::Sigmoid: return torch::sigmoid(x);
    case Univariate::Rsqrt: return torch::rsqrt(x);
    }
    return x;
}

torch::Tensor derivative(Univariate f, const torch::Tensor& x) {
    switch (f) {
    case Univariate::Gelu: return normalCdf(x) + x * torch::exp(-0.5 * x * x) / std::sqrt(2 * M_PI);
    case Univariate::Sigmoid: {
        const auto s = torch::sigmoid(x);
        return s * (1 - s);
    }
    case Univariate::Rsqrt: return -0.5 * torch::pow(x, -1.5);
    }
    return torch::ones_like(x);
}

// Rows [0,k) are inputs, rows [k,2k) their references.
std::pair<torch::Tensor, torch::Tensor> halves(const torch::Tensor& t) {
    const int64_t k = t.size(0) / 2;
    return {t.narrow(0, 0, k), t.narrow(0, k, k)};
}

torch::Tensor inputRowsOnly(const torch::Tensor& g) { return torch::cat({g, torch::zeros_like(g)}, 0); }

struct RescaleFn : public torch::autograd::Function<RescaleFn> {
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x, int64_t f) {
        const auto y = evaluate(Univariate(f), x);
        ctx->save_for_backward({x, y});
        ctx->saved_data["f"] = f;
        return y;
    }
    static tensor_list backward(AutogradContext* ctx, tensor_list grads) {
        const auto saved = ctx->get_saved_variables();
        const auto [x, xr] = halves(saved[0]);
        const auto [y, yr] = halves(saved[1]);
        const auto dx = x - xr;
        // Where input and reference (nearly) coincide the secant is the derivative at the midpoint.
        const auto tangent = derivative(Univariate(ctx->saved_data["f"].toInt()), 0.5 * (x + xr));
        const auto close = dx.abs() < 1e-6;
        const auto m = torch::where(close, tangent, (y - yr) / torch::where(close, torch::ones_like(dx), dx));
        return {inputRowsOnly(halves(grads[0]).first * m), torch::Tensor()};
    }
};

struct ProductFn : public torch::autograd::Function<ProductFn> {
    static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& a, const torch::Tensor& s) {
        ctx->save_for_backward({a, s});
        return a * s;
    }
    static tensor_list backward(AutogradContext* ctx, tensor_list grads) {
        const auto saved = ctx->get_saved_variables();
        const auto [a, ar] = halves(saved[0]);
        const auto [s, sr] = halves(saved[1]);
        const auto g = halves(grads[0]).first;
        return {inputRowsOnly(g * 0.5 * (s + sr)), inputRowsOnly(g * 0.5 * (a + ar))};
    }
};

}  // namespace

torch::Tensor DetachedGates::gelu(const torch::Tensor& y) const { return y * normalCdf(y).detach(); }

torch::Tensor DetachedGates::gate(const torch::Tensor& a, const torch::Tensor& b) const {
    return a * torch::sigmoid(b).detach();
}

torch::Tensor DetachedGates::layerNorm(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias,
                                       double eps) const {
    const auto centred = x - x.mean(1, true);
    const auto sigma = torch::sqrt(x.var(1, /*unbiased=*/false, /*keepdim=*/true) + eps).detach();
    return centred / sigma * weight.view({1, -1, 1}) + bias.view({1, -1, 1});
}

torch::Tensor GuidedGelu::gelu(const torch::Tensor& y) const { return GuidedGeluFn::apply(y); }

torch::Tensor DeepLiftRescale::gelu(const torch::Tensor& y) const {
    return RescaleFn::apply(y, int64_t(Univariate::Gelu));
}

torch::Tensor DeepLiftRescale::gate(const torch::Tensor& a, const torch::Tensor& b) const {
    return ProductFn::apply(a, RescaleFn::apply(b, int64_t(Univariate::Sigmoid)));
}

torch::Tensor DeepLiftRescale::layerNorm(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias,
                                         double eps) const {
    const auto centred = x - x.mean(1, true);
    const auto variance = ProductFn::apply(centred, centred).mean(1, true) + eps;
    const auto inverseStd = RescaleFn::apply(variance, int64_t(Univariate::Rsqrt));
    const auto normalised = ProductFn::apply(centred, inverseStd.expand_as(centred));
    return normalised * weight.view({1, -1, 1}) + bias.view({1, -1, 1});
}

}  // namespace s4scope
