#include "model/gated_linear_unit.h"

#include "model/op_helpers.h"
#include "model/simd.h"

namespace s4scope {
namespace {

template <typename T>
S4_VECTOR_CLONES void gateRows(const T* __restrict a, const T* __restrict gate, int64_t n, T* __restrict z) {
#pragma omp simd
    for (int64_t i = 0; i < n; ++i) z[i] = a[i] * gate[i];
}

// d/da = g s, d/db = g a s (1 - s), s = sigmoid(b).
template <typename T>
S4_VECTOR_CLONES void gateRowsBackward(const T* __restrict g, const T* __restrict a, const T* __restrict gate,
                                       int64_t n, T* __restrict ga, T* __restrict gb) {
#pragma omp simd
    for (int64_t i = 0; i < n; ++i) {
        const T s = gate[i];
        ga[i] = g[i] * s;
        gb[i] = g[i] * a[i] * s * (T(1) - s);
    }
}

// z from ab and the gate sigmoid(b) (B,H,L): both contiguous.
torch::Tensor gated(const torch::Tensor& ab, const torch::Tensor& gate) {
    const int64_t B = gate.size(0), HL = gate.size(1) * gate.size(2);
    auto z = torch::empty_like(gate);
    AT_DISPATCH_FLOATING_TYPES(ab.scalar_type(), "gatedLinearUnit", [&] {
        forEachExample(B, 8, [&](int64_t e) {
            gateRows<scalar_t>(ab.data_ptr<scalar_t>() + e * 2 * HL, gate.data_ptr<scalar_t>() + e * HL, HL,
                               z.data_ptr<scalar_t>() + e * HL);
        });
    });
    return z;
}

// libtorch's sigmoid is vectorised (exp); the products around it are the fused part.
torch::Tensor gateOf(const torch::Tensor& ab) { return torch::sigmoid(ab.narrow(1, ab.size(1) / 2, ab.size(1) / 2)); }

struct GatedLinearUnitFn : public torch::autograd::Function<GatedLinearUnitFn> {
    static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& ab) {
        const auto in = ab.contiguous();
        const auto gate = gateOf(in).contiguous();
        ctx->save_for_backward({in, gate});
        return gated(in, gate);
    }
    static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::tensor_list grads) {
        const auto saved = ctx->get_saved_variables();
        const auto &ab = saved[0], &gate = saved[1];
        const auto g = grads[0].contiguous();
        const int64_t B = gate.size(0), HL = gate.size(1) * gate.size(2);
        auto gab = torch::empty_like(ab);
        AT_DISPATCH_FLOATING_TYPES(ab.scalar_type(), "gatedLinearUnitBackward", [&] {
            forEachExample(B, 8, [&](int64_t e) {
                scalar_t* out = gab.data_ptr<scalar_t>() + e * 2 * HL;
                gateRowsBackward<scalar_t>(g.data_ptr<scalar_t>() + e * HL, ab.data_ptr<scalar_t>() + e * 2 * HL,
                                           gate.data_ptr<scalar_t>() + e * HL, HL, out, out + HL);
            });
        });
        return {gab};
    }
};

}  // namespace

torch::Tensor gatedLinearUnit(const torch::Tensor& ab) {
    TORCH_CHECK(ab.dim() == 3 && ab.size(1) % 2 == 0, "gatedLinearUnit: ab (B,2H,L) expected");
    if (recordsGraph({ab})) return GatedLinearUnitFn::apply(ab);
    const auto in = ab.contiguous();
    return gated(in, gateOf(in).contiguous());
}

}  // namespace s4scope
