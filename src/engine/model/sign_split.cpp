#include "model/sign_split.h"

#include <algorithm>
#include <memory>
#include <vector>

#include "model/op_helpers.h"
#include "model/simd.h"

namespace s4scope {
namespace {

// A matrix M (rows x cols) as its nonzero entries, listed per block of columns and row, the
// positive ones first: the sign of an entry is what routes its operand.
template <typename T>
struct Term {
    T w;
    int32_t column;
};

template <typename T>
struct SignedTerms {
    int64_t rows = 0, blocks = 0;
    std::vector<Term<T>> terms;
    std::vector<int64_t> start;  // blocks * rows + 1, indexed block * rows + row
    std::vector<int64_t> firstNegative;
};

template <typename T>
std::shared_ptr<const SignedTerms<T>> buildTerms(const torch::Tensor& M, int64_t block) {
    const auto m = M.accessor<T, 2>();
    auto s = std::make_shared<SignedTerms<T>>();
    s->rows = M.size(0);
    const int64_t cols = M.size(1);
    s->blocks = (cols + block - 1) / block;
    s->terms.reserve(M.numel());
    for (int64_t b = 0; b < s->blocks; ++b) {
        const int64_t c0 = b * block, c1 = std::min(cols, c0 + block);
        for (int64_t r = 0; r < s->rows; ++r) {
            s->start.push_back(static_cast<int64_t>(s->terms.size()));
            for (int64_t c = c0; c < c1; ++c)
                if (m[r][c] > 0) s->terms.push_back({m[r][c], static_cast<int32_t>(c)});
            s->firstNegative.push_back(static_cast<int64_t>(s->terms.size()));
            for (int64_t c = c0; c < c1; ++c)
                if (m[r][c] < 0) s->terms.push_back({m[r][c], static_cast<int32_t>(c)});
        }
    }
    s->start.push_back(static_cast<int64_t>(s->terms.size()));
    return s;
}

// Terms of W (or of W^T) kept per thread for the weights last used: an explanation passes the
// same few matrices on every call. An entry holds the weight tensor, so its storage (and address)
// cannot be reused while cached; a changed version counter means changed values.
template <typename T>
std::shared_ptr<const SignedTerms<T>> cachedTerms(const torch::Tensor& W, bool transposed, int64_t block) {
    struct Entry {
        torch::Tensor weight;
        int64_t version;
        bool transposed;
        int64_t block;
        std::shared_ptr<const SignedTerms<T>> terms;
    };
    thread_local std::vector<Entry> cache;  // most recently used last
    const auto M = transposed ? W.t() : W;
    if (W.is_inference()) return buildTerms<T>(M, block);  // no version counter to trust
    const int64_t version = W._version();
    for (auto it = cache.begin(); it != cache.end(); ++it) {
        if (it->weight.data_ptr() == W.data_ptr() && it->weight.sizes() == W.sizes() &&
            it->weight.strides() == W.strides() && it->version == version && it->transposed == transposed &&
            it->block == block) {
            Entry hit = std::move(*it);
            cache.erase(it);
            cache.push_back(std::move(hit));
            return cache.back().terms;
        }
    }
    constexpr size_t kCapacity = 16;
    if (cache.size() == kCapacity) cache.erase(cache.begin());
    cache.push_back({W, version, transposed, block, buildTerms<T>(M, block)});
    return cache.back().terms;
}

// Vectors per chunk of a row: every accumulator in a register (AVX-512 has 32, AVX2 16).
int forcedChunkVectors = 0;
int chunkVectors() {
    static const int n = __builtin_cpu_supports("x86-64-v4") ? 7 : 3;
    return forcedChunkVectors ? forcedChunkVectors : n;
}

// Operand rows are padded to whole chunks (zeros), so every chunk is full.
int64_t paddedLength(int64_t L, int64_t lanes) {
    const int64_t chunk = chunkVectors() * lanes;
    return (L + chunk - 1) / chunk * chunk;
}

// For a chunk of NV vectors at l0 of every row of M, with the operands of column c at
// ops + c * 2 Lp (P_c, then N_c, each Lp long):
//   first[r]  = sum_{M_rc > 0} M_rc P_c + sum_{M_rc < 0} M_rc N_c
//   second[r] = sum_{M_rc > 0} M_rc N_c + sum_{M_rc < 0} M_rc P_c   (when Second)
// NoN: every N_c is zero, so first takes the positive entries' P_c and second the negative ones'.
// Blocks of columns keep the operands in L1; the rows accumulate across blocks.
template <int NV, bool Second, bool NoN, typename T>
S4_VECTOR_CLONES void routedChunk(const SignedTerms<T>* m, const T* __restrict ops, int64_t Lp, int64_t l0,
                                  T* __restrict first, T* __restrict second) {
    using V = typename Lanes<T>::Vector;
    constexpr int64_t W = Lanes<T>::count;
    const Term<T>* terms = m->terms.data();
    for (int64_t b = 0; b < m->blocks; ++b)
        for (int64_t r = 0; r < m->rows; ++r) {
            T* o1 = first + r * Lp + l0;
            T* o2 = second + r * Lp + l0;
            V a1[NV], a2[NV];
            for (int v = 0; v < NV; ++v) {
                if (b == 0) {
                    a1[v] = V{};
                    a2[v] = V{};
                } else {
                    S4_LOAD(a1[v], o1 + v * W);
                    if (Second) S4_LOAD(a2[v], o2 + v * W);
                }
            }
            const int64_t k = b * m->rows + r;
            for (int64_t t = m->start[k]; t < m->firstNegative[k]; ++t) {
                const T w = terms[t].w;
                const T* p = ops + terms[t].column * 2 * Lp + l0;
                for (int v = 0; v < NV; ++v) {
                    V x;
                    S4_LOAD(x, p + v * W);
                    a1[v] += w * x;
                }
                if (Second && !NoN)
                    for (int v = 0; v < NV; ++v) {
                        V y;
                        S4_LOAD(y, p + Lp + v * W);
                        a2[v] += w * y;
                    }
            }
            if (!NoN || Second)
                for (int64_t t = m->firstNegative[k]; t < m->start[k + 1]; ++t) {
                    const T w = terms[t].w;
                    const T* p = ops + terms[t].column * 2 * Lp + l0;
                    for (int v = 0; v < NV; ++v) {
                        V x;
                        if (NoN) {
                            S4_LOAD(x, p + v * W);
                            a2[v] += w * x;
                        } else {
                            S4_LOAD(x, p + Lp + v * W);
                            a1[v] += w * x;
                        }
                    }
                    if (Second && !NoN)
                        for (int v = 0; v < NV; ++v) {
                            V y;
                            S4_LOAD(y, p + v * W);
                            a2[v] += w * y;
                        }
                }
            for (int v = 0; v < NV; ++v) {
                std::memcpy(o1 + v * W, &a1[v], sizeof(V));
                if (Second) std::memcpy(o2 + v * W, &a2[v], sizeof(V));
            }
        }
}

template <int NV, typename T>
void routedRows(const SignedTerms<T>& m, const T* ops, int64_t Lp, bool second, bool noN, T* first, T* secondOut) {
    for (int64_t l0 = 0; l0 < Lp; l0 += NV * Lanes<T>::count) {
        if (!second)
            routedChunk<NV, false, false, T>(&m, ops, Lp, l0, first, secondOut);
        else if (noN)
            routedChunk<NV, true, true, T>(&m, ops, Lp, l0, first, secondOut);
        else
            routedChunk<NV, true, false, T>(&m, ops, Lp, l0, first, secondOut);
    }
}

template <typename T>
void routed(const SignedTerms<T>& m, const T* ops, int64_t Lp, bool second, bool noN, T* first, T* secondOut) {
    if (chunkVectors() == 7)
        routedRows<7, T>(m, ops, Lp, second, noN, first, secondOut);
    else
        routedRows<3, T>(m, ops, Lp, second, noN, first, secondOut);
}

// Columns per block: the block's operand rows (two per column, one chunk each) fill ~28 KiB of L1.
int64_t columnBlock() { return std::max<int64_t>(8, 28672 / (2 * chunkVectors() * 64)); }

// P = max(x, 0), N = min(x, 0) over a row, then zeros up to Lp.
template <typename T>
void splitRow(const T* x, int64_t L, int64_t Lp, T* P, T* N) {
    splitBySign<T>(x, L, P, N);
    std::fill(P + L, P + Lp, T(0));
    std::fill(N + L, N + Lp, T(0));
}

// out = x (.) (x > 0 ? forPositive : forNegative) over a row.
template <typename T>
S4_VECTOR_CLONES void combineRow(const T* __restrict x, const T* __restrict forPositive, const T* __restrict forNegative,
                                 int64_t L, T* __restrict out) {
#pragma omp simd
    for (int64_t l = 0; l < L; ++l) out[l] = x[l] * (x[l] > T(0) ? forPositive[l] : forNegative[l]);
}

void checkShapes(const torch::Tensor& W, const torch::Tensor& x) {
    TORCH_CHECK(W.dim() == 2 && x.dim() == 3 && x.size(1) == W.size(1), "sign groups: W (J,C) and x (B,C,L) expected, got ",
                W.sizes(), " and ", x.sizes());
    TORCH_CHECK(W.scalar_type() == x.scalar_type(), "sign groups: W and x differ in dtype");
}

}  // namespace

SignGroups signGroups(const torch::Tensor& W, const torch::Tensor& x, WhichGroups which) {
    checkShapes(W, x);
    const int64_t B = x.size(0), C = x.size(1), L = x.size(2), J = W.size(0);
    SignGroups out;
    if (which != WhichGroups::Negative) out.positive = torch::empty({B, J, L}, x.options());
    if (which != WhichGroups::Positive) out.negative = torch::empty({B, J, L}, x.options());
    // The routed product's first result is the positive group; with x+ and x- trading places, the
    // negative one.
    const bool both = which == WhichGroups::Both, swap = which == WhichGroups::Negative;
    AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "signGroups", [&] {
        using T = scalar_t;
        const auto terms = cachedTerms<T>(W, /*transposed=*/false, columnBlock());
        const int64_t Lp = paddedLength(L, Lanes<T>::count);
        const auto xc = x.contiguous();  // the encoder's frames are a strided view
        forEachExample(B, 1, [&](int64_t b) {
            // Operands: x+ and x- of each input row, zero-padded.
            auto ops = torch::empty({C, 2, Lp}, x.options());
            T* o = ops.data_ptr<T>();
            const T* xb = xc.data_ptr<T>() + b * C * L;
            for (int64_t c = 0; c < C; ++c) {
                T* P = o + c * 2 * Lp;
                swap ? splitRow<T>(xb + c * L, L, Lp, P + Lp, P) : splitRow<T>(xb + c * L, L, Lp, P, P + Lp);
            }
            auto sums = torch::empty({2, J, Lp}, x.options());
            T* first = sums.data_ptr<T>();
            T* second = first + J * Lp;
            routed(*terms, o, Lp, both, false, first, second);
            // Rows of Lp to rows of L (a loop: libtorch's strided copy costs more at this size).
            auto unpad = [&](const T* src, torch::Tensor& dst) {
                T* d = dst.data_ptr<T>() + b * J * L;
                for (int64_t j = 0; j < J; ++j) std::copy(src + j * Lp, src + j * Lp + L, d + j * L);
            };
            unpad(first, swap ? out.negative : out.positive);
            if (both) unpad(second, out.negative);
        });
    });
    return out;
}

namespace {

// x (.) (x > 0 ? W+^T p + W-^T n : W-^T p + W+^T n), n undefined: zero. With swapRoles, p is
// the negative group's quotient (and n undefined): x (.) (x > 0 ? W-^T p : W+^T p).
torch::Tensor adjointBySign(const torch::Tensor& W, const torch::Tensor& x, const torch::Tensor& p,
                            const torch::Tensor& n, bool swapRoles) {
    const int64_t B = x.size(0), C = x.size(1), L = x.size(2), J = W.size(0);
    auto out = torch::empty({B, C, L}, x.options());
    AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "signGroupsAdjoint", [&] {
        using T = scalar_t;
        const auto terms = cachedTerms<T>(W, /*transposed=*/true, columnBlock());
        const int64_t Lp = paddedLength(L, Lanes<T>::count);
        const auto pc = p.contiguous();
        const auto nc = n.defined() ? n.contiguous() : n;
        const auto xc = x.contiguous();
        forEachExample(B, 1, [&](int64_t b) {
            // Operands: the two quotients of each output row, zero-padded.
            auto ops = torch::empty({J, 2, Lp}, x.options());
            T* o = ops.data_ptr<T>();
            const T* pb = pc.data_ptr<T>() + b * J * L;
            const T* nb = nc.defined() ? nc.data_ptr<T>() + b * J * L : nullptr;
            for (int64_t j = 0; j < J; ++j) {
                T* row = o + j * 2 * Lp;
                std::copy(pb + j * L, pb + (j + 1) * L, row);
                std::fill(row + L, row + Lp, T(0));
                if (nb) {
                    std::copy(nb + j * L, nb + (j + 1) * L, row + Lp);
                    std::fill(row + Lp + L, row + 2 * Lp, T(0));
                }
            }
            // forPositive = W+^T p + W-^T n, forNegative = W-^T p + W+^T n.
            auto sums = torch::empty({2, C, Lp}, x.options());
            const T* forPositive = sums[0].data_ptr<T>();
            const T* forNegative = sums[1].data_ptr<T>();  // (swapped below when p is the negative group's)
            routed(*terms, o, Lp, true, !nc.defined(), sums[0].data_ptr<T>(), sums[1].data_ptr<T>());
            const T* xb = xc.data_ptr<T>() + b * C * L;
            T* r = out.data_ptr<T>() + b * C * L;
            if (swapRoles) std::swap(forPositive, forNegative);
            for (int64_t c = 0; c < C; ++c)
                combineRow<T>(xb + c * L, forPositive + c * Lp, forNegative + c * Lp, L, r + c * L);
        });
    });
    return out;
}

}  // namespace

torch::Tensor signGroupsAdjoint(const torch::Tensor& W, const torch::Tensor& x, const torch::Tensor& p,
                                const torch::Tensor& n) {
    checkShapes(W, x);
    const int64_t B = x.size(0), L = x.size(2), J = W.size(0);
    TORCH_CHECK(p.sizes() == torch::IntArrayRef({B, J, L}) &&
                    (!n.defined() || (n.dim() == 3 && n.size(0) == B && n.size(1) == J && n.size(2) <= L)),
                "sign groups adjoint: quotients p (B,J,L) and n (B,J,<=L) expected");
    if (!n.defined() || n.size(2) == L) return adjointBySign(W, x, p, n, false);
    // n covers the first steps only: the columns are independent, so its part is computed there.
    auto out = adjointBySign(W, x, p, {}, false);
    out.narrow(2, 0, n.size(2)).add_(adjointBySign(W, x.narrow(2, 0, n.size(2)), n, {}, true));
    return out;
}

template <typename T>
S4_VECTOR_CLONES void splitBySign(const T* in, int64_t n, T* positive, T* negative) {
#pragma omp simd
    for (int64_t i = 0; i < n; ++i) {
        const T v = in[i];
        positive[i] = v > T(0) ? v : T(0);
        negative[i] = v < T(0) ? v : T(0);
    }
}
template void splitBySign<float>(const float*, int64_t, float*, float*);
template void splitBySign<double>(const double*, int64_t, double*, double*);

void forceSignGroupChunkVectors(int vectors) {
    TORCH_CHECK(vectors == 0 || vectors == 3 || vectors == 7, "chunks of 3 or 7 vectors (0: the CPU's)");
    forcedChunkVectors = vectors;
}

torch::Tensor combineBySign(const torch::Tensor& x, const torch::Tensor& forPositive, const torch::Tensor& forNegative) {
    TORCH_CHECK(x.sizes() == forPositive.sizes() && x.sizes() == forNegative.sizes(), "combineBySign: shapes differ");
    const auto xc = x.contiguous(), pc = forPositive.contiguous(), nc = forNegative.contiguous();
    auto out = torch::empty_like(xc);
    AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "combineBySign", [&] {
        combineRow<scalar_t>(xc.data_ptr<scalar_t>(), pc.data_ptr<scalar_t>(), nc.data_ptr<scalar_t>(), xc.numel(),
                             out.data_ptr<scalar_t>());
    });
    return out;
}

}  // namespace s4scope
