#include "model/linear_ops.h"

#include <ATen/Parallel.h>

#include "model/op_helpers.h"
#include "model/runtime.h"

namespace s4scope {
namespace {

// f(b) for every example b, examples spread over the threads and each GEMM on one thread:
// OpenBLAS splitting every small product over both cores spent much of its time waiting for the
// other thread (sched_yield), worse on a busy machine. OpenMP workers do not inherit the caller's
// autograd modes, so they are set again (out= GEMMs must not record, inference tensors need
// InferenceMode).
template <typename F>
void gemmPerExample(int64_t B, const F& f) {
    const bool inference = c10::InferenceMode::is_enabled();
    at::parallel_for(0, B, 1, [&](int64_t begin, int64_t end) {
        c10::InferenceMode inferenceMode(inference);
        torch::NoGradGuard noGrad;
        OpenMpThreads one(1);
        for (int64_t b = begin; b < end; ++b) f(b);
    });
}

// W (Cout,Cin) times every x[b] (Cin,L): one GEMM per example (matmul's broadcast bmm path was
// 3x slower here).
torch::Tensor timesEach(const torch::Tensor& W, const torch::Tensor& x) {
    const int64_t B = x.size(0);
    auto out = torch::empty({B, W.size(0), x.size(2)}, x.options());
    gemmPerExample(B, [&](int64_t b) {
        auto slice = out[b];
        at::mm_out(slice, W, x[b]);
    });
    return out;
}

torch::Tensor matrixOf(const torch::Tensor& weight) { return weight.reshape({weight.size(0), weight.size(1)}); }

// Written out rather than left to conv1d (slow im2col path) or at::linear/matmul's own backward
// (which gave wrong, non-deterministic input gradients here in libtorch 1.13).
struct PointwiseConvFn : public torch::autograd::Function<PointwiseConvFn> {
    static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x,
                                 const torch::Tensor& weight, const torch::Tensor& bias) {
        ctx->save_for_backward({x, weight});
        auto y = timesEach(matrixOf(weight), x);
        return y.add_(bias.view({1, -1, 1}));
    }
    static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::tensor_list grads) {
        const auto saved = ctx->get_saved_variables();
        const auto &x = saved[0], &weight = saved[1];
        const auto g = grads[0].contiguous();
        torch::Tensor gx, gw, gb;
        if (ctx->needs_input_grad(0)) gx = timesEach(matrixOf(weight).t(), g);
        if (ctx->needs_input_grad(1)) {
            gw = at::mm(g[0], x[0].t());
            for (int64_t b = 1; b < x.size(0); ++b) gw.addmm_(g[b], x[b].t());
            gw = gw.view(weight.sizes());
        }
        if (ctx->needs_input_grad(2)) gb = g.sum(at::IntArrayRef{0, 2});
        return {gx, gw, gb};
    }
};

}  // namespace

torch::Tensor encodeFrames(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias) {
    const int64_t B = x.size(0), S = weight.size(-1), H = weight.size(0);
    const auto frames = x.reshape({B, -1, S});  // (B,L,S)
    const auto W = weight.reshape({H, S});
    // Contiguous (B,H,L): later per-channel loops read rows of L.
    if (recordsGraph({x, weight, bias})) return at::linear(frames, W, bias).transpose(1, 2).contiguous();
    // W frames[b]^T straight into (H,L), one GEMM per example: no transposed copy.
    auto out = torch::empty({B, H, frames.size(1)}, x.options());
    gemmPerExample(B, [&](int64_t b) {
        auto slice = out[b];
        if (bias.defined())
            at::addmm_out(slice, bias.view({H, 1}), W, frames[b].t());
        else
            at::mm_out(slice, W, frames[b].t());
    });
    return out;
}

torch::Tensor encodeFramesAdjoint(const torch::Tensor& g, const torch::Tensor& weight) {
    const int64_t B = g.size(0), S = weight.size(-1), H = weight.size(0), L = g.size(2);
    const auto W = weight.reshape({H, S});
    // g[b]^T W: (L,S) frames, i.e. the clip's samples in order.
    auto out = torch::empty({B, 1, L * S}, g.options());
    gemmPerExample(B, [&](int64_t b) {
        auto slice = out[b].view({L, S});
        at::mm_out(slice, g[b].t(), W);
    });
    return out;
}

torch::Tensor pointwiseConv(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias) {
    // autograd::Function cannot take an undefined tensor.
    if (recordsGraph({x, weight, bias})) return PointwiseConvFn::apply(x, weight, bias.defined() ? bias : torch::zeros({weight.size(0)}, x.options()));
    auto y = timesEach(matrixOf(weight), x);
    return bias.defined() ? y.add_(bias.view({1, -1, 1})) : y;
}

torch::Tensor pointwiseConvAdjoint(const torch::Tensor& g, const torch::Tensor& weight) {
    return timesEach(matrixOf(weight).t(), g);
}

}  // namespace s4scope
