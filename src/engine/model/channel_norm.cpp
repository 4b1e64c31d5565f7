#include "model/channel_norm.h"

#include <cmath>

#include "model/op_helpers.h"
#include "model/simd.h"

namespace s4scope {
namespace {

// One example: x (H,L) -> y (H,L) and 1/sigma (L), the mean and variance of each column in two
// passes over the rows (each a loop along time that vectorises). `mean` is scratch of L values.
template <typename T>
S4_VECTOR_CLONES void normaliseColumns(const T* __restrict x, const T* __restrict w, const T* __restrict b, T eps,
                                       int64_t H, int64_t L, T* __restrict mean, T* __restrict inverseSigma,
                                       T* __restrict y) {
    for (int64_t l = 0; l < L; ++l) mean[l] = inverseSigma[l] = 0;
    for (int64_t h = 0; h < H; ++h)
#pragma omp simd
        for (int64_t l = 0; l < L; ++l) mean[l] += x[h * L + l];
    const T inverseH = T(1) / T(H);
#pragma omp simd
    for (int64_t l = 0; l < L; ++l) mean[l] *= inverseH;
    for (int64_t h = 0; h < H; ++h)
#pragma omp simd
        for (int64_t l = 0; l < L; ++l) {
            const T d = x[h * L + l] - mean[l];
            inverseSigma[l] += d * d;
        }
#pragma omp simd
    for (int64_t l = 0; l < L; ++l) inverseSigma[l] = T(1) / std::sqrt(inverseSigma[l] * inverseH + eps);
    for (int64_t h = 0; h < H; ++h) {
        const T wh = w ? w[h] : T(1), bh = b ? b[h] : T(0);
#pragma omp simd
        for (int64_t l = 0; l < L; ++l) y[h * L + l] = (x[h * L + l] - mean[l]) * inverseSigma[l] * wh + bh;
    }
}

// The input gradient of one example: with x^ = (x - mean) / sigma and gw = g w,
// dx = (gw - mean_h(gw) - x^ mean_h(gw x^)) / sigma, the column means again accumulated row by row.
template <typename T>
S4_VECTOR_CLONES void normaliseColumnsBackward(const T* __restrict g, const T* __restrict x, const T* __restrict w,
                                               const T* __restrict mean, const T* __restrict inverseSigma, int64_t H,
                                               int64_t L, T* __restrict sumGw, T* __restrict sumGwXhat,
                                               T* __restrict dx) {
    for (int64_t l = 0; l < L; ++l) sumGw[l] = sumGwXhat[l] = 0;
    for (int64_t h = 0; h < H; ++h) {
        const T wh = w ? w[h] : T(1);
#pragma omp simd
        for (int64_t l = 0; l < L; ++l) {
            const T gw = g[h * L + l] * wh;
            sumGw[l] += gw;
            sumGwXhat[l] += gw * (x[h * L + l] - mean[l]) * inverseSigma[l];
        }
    }
    const T inverseH = T(1) / T(H);
    for (int64_t h = 0; h < H; ++h) {
        const T wh = w ? w[h] : T(1);
#pragma omp simd
        for (int64_t l = 0; l < L; ++l) {
            const T xhat = (x[h * L + l] - mean[l]) * inverseSigma[l];
            dx[h * L + l] = (g[h * L + l] * wh - sumGw[l] * inverseH - xhat * sumGwXhat[l] * inverseH) * inverseSigma[l];
        }
    }
}

// out = v - mean_h(v), v = s w / sigma, for one example; `sum` is scratch of L values.
template <typename T>
S4_VECTOR_CLONES void centreScaledColumns(const T* __restrict s, const T* __restrict w, const T* __restrict inverseSigma,
                                          int64_t H, int64_t L, T* __restrict sum, T* __restrict out) {
    for (int64_t l = 0; l < L; ++l) sum[l] = 0;
    for (int64_t h = 0; h < H; ++h) {
        const T wh = w ? w[h] : T(1);
#pragma omp simd
        for (int64_t l = 0; l < L; ++l) {
            const T v = s[h * L + l] * wh * inverseSigma[l];
            out[h * L + l] = v;
            sum[l] += v;
        }
    }
    const T inverseH = T(1) / T(H);
    for (int64_t h = 0; h < H; ++h)
#pragma omp simd
        for (int64_t l = 0; l < L; ++l) out[h * L + l] -= sum[l] * inverseH;
}

struct Normalised {
    torch::Tensor output, mean, inverseSigma;
};

Normalised normalise(const torch::Tensor& in, const torch::Tensor& w, const torch::Tensor& b, double eps) {
    const int64_t B = in.size(0), H = in.size(1), L = in.size(2);
    Normalised out{torch::empty_like(in), torch::empty({B, 1, L}, in.options()), torch::empty({B, 1, L}, in.options())};
    AT_DISPATCH_FLOATING_TYPES(in.scalar_type(), "channelLayerNorm", [&] {
        const scalar_t* wp = w.defined() ? w.data_ptr<scalar_t>() : nullptr;
        const scalar_t* bp = b.defined() ? b.data_ptr<scalar_t>() : nullptr;
        forEachExample(B, 16, [&](int64_t e) {
            normaliseColumns<scalar_t>(in.data_ptr<scalar_t>() + e * H * L, wp, bp, static_cast<scalar_t>(eps), H, L,
                                       out.mean.data_ptr<scalar_t>() + e * L,
                                       out.inverseSigma.data_ptr<scalar_t>() + e * L,
                                       out.output.data_ptr<scalar_t>() + e * H * L);
        });
    });
    return out;
}

torch::Tensor orUndefined(const torch::Tensor& t) { return t.defined() ? t.contiguous() : t; }

struct ChannelLayerNormFn : public torch::autograd::Function<ChannelLayerNormFn> {
    static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x,
                                 const torch::Tensor& weight, const torch::Tensor& bias, double eps) {
        const auto in = x.contiguous();
        auto n = normalise(in, orUndefined(weight), orUndefined(bias), eps);
        ctx->save_for_backward({in, weight, n.mean, n.inverseSigma});
        return n.output;
    }
    static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::tensor_list grads) {
        const auto saved = ctx->get_saved_variables();
        const auto &x = saved[0], &mean = saved[2], &inverseSigma = saved[3];
        const auto w = orUndefined(saved[1]);
        const auto g = grads[0].contiguous();
        const int64_t B = x.size(0), H = x.size(1), L = x.size(2);
        auto dx = torch::empty_like(x);
        auto scratch = torch::empty({B, 2, L}, x.options());
        AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "channelLayerNormBackward", [&] {
            const scalar_t* wp = w.defined() ? w.data_ptr<scalar_t>() : nullptr;
            forEachExample(B, 16, [&](int64_t e) {
                scalar_t* sums = scratch.data_ptr<scalar_t>() + e * 2 * L;
                normaliseColumnsBackward<scalar_t>(g.data_ptr<scalar_t>() + e * H * L, x.data_ptr<scalar_t>() + e * H * L,
                                                   wp, mean.data_ptr<scalar_t>() + e * L,
                                                   inverseSigma.data_ptr<scalar_t>() + e * L, H, L, sums, sums + L,
                                                   dx.data_ptr<scalar_t>() + e * H * L);
            });
        });
        return {dx, torch::Tensor(), torch::Tensor(), torch::Tensor()};
    }
};

}  // namespace

torch::Tensor layerNormOverChannels(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias,
                                    double eps) {
    TORCH_CHECK(x.dim() == 3, "layerNormOverChannels: x (B,H,L) expected");
    TORCH_CHECK(!recordsGraph({weight, bias}), "layerNormOverChannels holds weight and bias constant");
    if (!recordsGraph({x})) return channelLayerNorm(x, weight, bias, eps).output;
    // autograd::Function cannot take an undefined tensor.
    const auto w = weight.defined() ? weight : torch::ones({x.size(1)}, x.options());
    const auto b = bias.defined() ? bias : torch::zeros({x.size(1)}, x.options());
    return ChannelLayerNormFn::apply(x, w, b, eps);
}

torch::Tensor centredScaledChannels(const torch::Tensor& s, const torch::Tensor& weight,
                                    const torch::Tensor& inverseSigma) {
    TORCH_CHECK(s.dim() == 3 && inverseSigma.numel() == s.size(0) * s.size(2),
                "centredScaledChannels: s (B,H,L) and inverseSigma (B,1,L) expected");
    const auto in = s.contiguous(), is = inverseSigma.contiguous(), w = orUndefined(weight);
    const int64_t B = in.size(0), H = in.size(1), L = in.size(2);
    auto out = torch::empty_like(in);
    auto scratch = torch::empty({B, L}, in.options());
    AT_DISPATCH_FLOATING_TYPES(in.scalar_type(), "centredScaledChannels", [&] {
        const scalar_t* wp = w.defined() ? w.data_ptr<scalar_t>() : nullptr;
        forEachExample(B, 16, [&](int64_t e) {
            centreScaledColumns<scalar_t>(in.data_ptr<scalar_t>() + e * H * L, wp, is.data_ptr<scalar_t>() + e * L, H, L,
                                          scratch.data_ptr<scalar_t>() + e * L, out.data_ptr<scalar_t>() + e * H * L);
        });
    });
    return out;
}

ChannelNorm channelLayerNorm(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias,
                             double eps) {
    TORCH_CHECK(x.dim() == 3, "channelLayerNorm: x (B,H,L) expected");
    const auto n = normalise(x.contiguous(), orUndefined(weight), orUndefined(bias), eps);
    return {n.output, n.inverseSigma};
}

}  // namespace s4scope
