#include "model/causal_conv.h"

#include <algorithm>
#include <cstdint>
#include <type_traits>
#include <cstring>
#include <vector>

#include <ATen/Parallel.h>

#include "model/fft_convolution.h"
#include "model/op_helpers.h"
#include "model/simd.h"

namespace s4scope {
namespace {

// Rows of L values, one per (b,h): below this many rows one thread does it (waking a second
// thread costs more than the work at batch 1).
constexpr int64_t kRowsPerTask = 256;

// Shuffle masks of transposeSquare's stages, built once.
template <typename T>
struct TransposeMasks {
    static constexpr int stages = Lanes<T>::count == 16 ? 4 : 3;
    typename Lanes<T>::Index lo[stages], hi[stages];
    TransposeMasks() {
        constexpr int64_t W = Lanes<T>::count;
        for (int k = 0; k < stages; ++k) {
            const int64_t s = int64_t(1) << k;
            for (int64_t j = 0; j < W; ++j) {
                lo[k][j] = (j & s) ? W + j - s : j;
                hi[k][j] = (j & s) ? W + j : j + s;
            }
        }
    }
};

// Transposes W x W values held in W vectors: stage s swaps bit s of the row and column index
// ((i, j) with bit s of i clear and of j set trades places with (i + s, j - s)).
template <typename T>
inline void transposeSquare(typename Lanes<T>::Vector* r, const TransposeMasks<T>& m) {
    using V = typename Lanes<T>::Vector;
    constexpr int64_t W = Lanes<T>::count;
    for (int k = 0; k < TransposeMasks<T>::stages; ++k) {
        const int64_t s = int64_t(1) << k;
        for (int64_t i = 0; i < W; ++i) {
            if (i & s) continue;
            const V a = r[i], b = r[i + s];
            r[i] = __builtin_shuffle(a, b, m.lo[k]);
            r[i + s] = __builtin_shuffle(a, b, m.hi[k]);
        }
    }
}

// dst (cols x rows, row stride dstStride) = the transpose of src (rows x cols, row stride
// srcStride); W x W blocks in registers, the edges one value at a time.
template <typename T>
S4_VECTOR_CLONES void transposeInto(const T* __restrict src, int64_t srcStride, int64_t rows, int64_t cols,
                                    T* __restrict dst, int64_t dstStride) {
    using V = typename Lanes<T>::Vector;
    constexpr int64_t W = Lanes<T>::count;
    static const TransposeMasks<T> masks;
    for (int64_t i0 = 0; i0 < rows; i0 += W)
        for (int64_t j0 = 0; j0 < cols; j0 += W) {
            if (i0 + W <= rows && j0 + W <= cols) {
                V r[W];
                for (int64_t k = 0; k < W; ++k) S4_LOAD(r[k], src + (i0 + k) * srcStride + j0);
                transposeSquare<T>(r, masks);
                for (int64_t k = 0; k < W; ++k) std::memcpy(dst + (j0 + k) * dstStride + i0, &r[k], sizeof(V));
                continue;
            }
            for (int64_t i = i0; i < std::min(i0 + W, rows); ++i)
                for (int64_t j = j0; j < std::min(j0 + W, cols); ++j) dst[j * dstStride + i] = src[i * srcStride + j];
        }
}

// `width` (<= W) rows of n values, `stride` apart, to a tile of n rows of W lanes (lane c: row c;
// lanes past `width` are left as they are), and back.
template <typename T>
void rowsToTile(const T* rows, int64_t width, int64_t stride, int64_t n, T* tile) {
    transposeInto<T>(rows, stride, width, n, tile, Lanes<T>::count);
}
template <typename T>
void tileToRows(const T* tile, int64_t width, int64_t stride, int64_t n, T* rows) {
    transposeInto<T>(tile, Lanes<T>::count, n, width, rows, stride);
}

// A row copied between `Lanes<T>::count` zeros on either side, so blocks of outputs can read past
// both ends without branches.
template <typename T>
class PaddedRow {
public:
    const T* assign(const T* row, int64_t L) {
        const int64_t W = Lanes<T>::count;
        if (static_cast<int64_t>(buffer_.size()) != L + 2 * W) buffer_.assign(L + 2 * W, T(0));  // pads stay zero
        std::copy(row, row + L, buffer_.begin() + W);
        return buffer_.data() + W;
    }

private:
    std::vector<T> buffer_;
};

// The one loop behind both directions, over output blocks of W values:
//   Step = -1 (convolve):  out[l] = d p[l] + sum_{j < taps, j <= l}    k[j] p[l-j]
//   Step = +1 (correlate): out[m] = d p[m] + sum_{j < taps, m + j < L} k[j] p[m+j]
// p is a row of length L padded as PaddedRow makes it. Correlation is the convolution's adjoint
// and, with u as k, the gradient of its taps.
template <int Step, typename T>
S4_VECTOR_CLONES void blockedTapSums(const T* __restrict p, const T* __restrict k, T d, int64_t taps, int64_t L,
                                     int64_t outLength, T* __restrict out) {
    using V = typename Lanes<T>::Vector;
    constexpr int64_t W = Lanes<T>::count;
    for (int64_t m0 = 0; m0 < outLength; m0 += W) {
        V a0, a1 = {}, a2 = {}, a3 = {}, v0, v1, v2, v3;
        S4_LOAD(a0, p + m0);
        a0 *= d;
        // Later taps only reach zeros: before p[0] (convolve) or past p[L-1] (correlate).
        const int64_t jmax = std::min<int64_t>(taps, Step < 0 ? m0 + W : L - m0);
        int64_t j = 0;
        for (; j + 4 <= jmax; j += 4) {  // four independent chains hide the FMA latency
            S4_LOAD(v0, p + m0 + Step * j);
            S4_LOAD(v1, p + m0 + Step * (j + 1));
            S4_LOAD(v2, p + m0 + Step * (j + 2));
            S4_LOAD(v3, p + m0 + Step * (j + 3));
            a0 += k[j] * v0;
            a1 += k[j + 1] * v1;
            a2 += k[j + 2] * v2;
            a3 += k[j + 3] * v3;
        }
        for (; j < jmax; ++j) {
            S4_LOAD(v0, p + m0 + Step * j);
            a0 += k[j] * v0;
        }
        const V sum = (a0 + a1) + (a2 + a3);
        std::memcpy(out + m0, &sum, std::min(W, outLength - m0) * sizeof(T));
    }
}

void checkShapes(const torch::Tensor& u, const torch::Tensor& K, const torch::Tensor& D) {
    TORCH_CHECK(u.dim() == 3 && K.dim() == 2 && K.size(0) == u.size(1), "causalConv: u (B,H,L) and K (H,Lk) expected");
    TORCH_CHECK(!D.defined() || (D.dim() == 1 && D.size(0) == u.size(1)), "causalConv: D (H) expected");
    TORCH_CHECK(u.scalar_type() == K.scalar_type() && (!D.defined() || D.scalar_type() == u.scalar_type()),
                "causalConv: u, K and D must share a dtype");
}

enum class Direction { Convolve, Correlate };

// Rows of an (L, W) tile of W channels, where channels are the vector lanes: every tap is then one
// aligned load of the input and one of the kernel, and a kernel row serves kTimeBlock outputs.
// Along time the loads were unaligned and one per multiply-add (about 2.5x slower at L = 100).
constexpr int64_t kTimeBlock = 8;

// out[l] = d p[l] + sum_{j < taps} k[j] p[l - Step' j] over a tile of rows p[0..L) with
// kTimeBlock zero rows before and after (so blocks read past both ends without branches).
//   Step = -1 (convolve):  out[l] = d p[l] + sum_{j <= l}      k[j] p[l-j]
//   Step = +1 (correlate): out[m] = d p[m] + sum_{m + j < L}   k[j] p[m+j]
template <int Step, typename T>
S4_VECTOR_CLONES void tileTapSums(const typename Lanes<T>::Vector* __restrict p,
                                  const typename Lanes<T>::Vector* __restrict k,
                                  const typename Lanes<T>::Vector* __restrict dp, int64_t taps, int64_t L,
                                  typename Lanes<T>::Vector* __restrict out) {
    // Vectors pass by pointer: by value, the AVX-512 clone and its plain x86-64 caller would
    // disagree on how a 64-byte vector argument is passed.
    using V = typename Lanes<T>::Vector;
    constexpr int64_t R = kTimeBlock;
    const V d = *dp;
    for (int64_t l0 = 0; l0 < L; l0 += R) {
        V acc[R];
        for (int64_t r = 0; r < R; ++r) acc[r] = d * p[l0 + r];
        // Taps beyond these only reach the zero rows.
        const int64_t jmax = std::min<int64_t>(taps, Step < 0 ? l0 + R : L - l0);
        for (int64_t j = 0; j < jmax; ++j) {
            const V kj = k[j];
            const V* src = p + l0 + Step * j;
            for (int64_t r = 0; r < R; ++r) acc[r] += kj * src[r];
        }
        for (int64_t r = 0; r < R && l0 + r < L; ++r) out[l0 + r] = acc[r];
    }
}

// Every row (b,h) of `input` convolved or correlated with K[h] and D[h], a tile of channels at a
// time; tiles in parallel once there are enough of them.
torch::Tensor mapRows(const torch::Tensor& input, const torch::Tensor& K, const torch::Tensor& D, Direction direction) {
    checkShapes(input, K, D);
    const auto in = input.contiguous();
    const auto k = K.contiguous();
    const int64_t B = in.size(0), H = in.size(1), L = in.size(2), taps = std::min(k.size(1), L);
    auto out = torch::empty_like(in);
    const auto d = D.defined() ? D.contiguous() : D;
    AT_DISPATCH_FLOATING_TYPES(in.scalar_type(), "causalConv", [&] {
        using V = typename Lanes<scalar_t>::Vector;
        constexpr int64_t W = Lanes<scalar_t>::count, R = kTimeBlock;
        const int64_t tiles = (H + W - 1) / W, kStride = k.size(1);
        const scalar_t* src = in.data_ptr<scalar_t>();
        const scalar_t* kp = k.data_ptr<scalar_t>();
        const scalar_t* dp = d.defined() ? d.data_ptr<scalar_t>() : nullptr;
        scalar_t* dst = out.data_ptr<scalar_t>();
        // Tiles are written as scalars and read as vectors only inside tileTapSums. Scratch comes
        // from libtorch's allocator, which aligns to 64 bytes.
        auto asVectors = [](scalar_t* p) { return reinterpret_cast<V*>(p); };
        // The kernel and D transposed into tiles once per call: (tiles, taps, W) and (tiles, W).
        auto scratch = torch::zeros({(tiles * taps + tiles) * W}, in.options());
        scalar_t* kt = scratch.data_ptr<scalar_t>();
        scalar_t* dt = kt + tiles * taps * W;
        for (int64_t h = 0; h < H; ++h)
            if (dp) dt[(h / W) * W + h % W] = dp[h];
        for (int64_t t = 0; t < tiles; ++t)
            rowsToTile<scalar_t>(kp + t * W * kStride, std::min(W, H - t * W), kStride, taps, kt + t * taps * W);
        at::parallel_for(0, B * tiles, std::max<int64_t>(1, kRowsPerTask / W), [&](int64_t begin, int64_t end) {
            // R zero rows before and after the L rows of the tile, then the result's L rows.
            auto buffers = torch::zeros({(L + 2 * R + L) * W}, in.options());
            scalar_t* tile = buffers.data_ptr<scalar_t>() + R * W;
            scalar_t* result = tile + (L + R) * W;
            for (int64_t task = begin; task < end; ++task) {
                const int64_t b = task / tiles, t = task % tiles, h0 = t * W, width = std::min(W, H - h0);
                const scalar_t* rows = src + (b * H + h0) * L;
                rowsToTile<scalar_t>(rows, width, L, L, tile);
                // Lanes past the last channel (a partial tile) are never written out: lanes do not mix.
                const V* k = asVectors(kt + t * taps * W);
                const V* d = asVectors(dt + t * W);
                if (direction == Direction::Convolve)
                    tileTapSums<-1, scalar_t>(asVectors(tile), k, d, taps, L, asVectors(result));
                else
                    tileTapSums<+1, scalar_t>(asVectors(tile), k, d, taps, L, asVectors(result));
                scalar_t* outRows = dst + (b * H + h0) * L;
                tileToRows<scalar_t>(result, width, L, L, outRows);
            }
        });
    });
    return out;
}

// The same loop for the alpha-beta rules' sign groups, over two operand tiles a and b (b absent:
// zero) with the kernel split into kp = K+ and km = K-:
//   first = kp a + km b,   second = km a + kp b   (each convolved or correlated as above).
// Forward, a = u+ and b = u-: the sums of the positive and of the negative terms. Backward, a and
// b are the groups' quotients, and first / second what an input of either sign receives.
template <int Step, bool Second, bool HasB, typename T>
S4_VECTOR_CLONES void tileSignTapSums(const typename Lanes<T>::Vector* __restrict a,
                                      const typename Lanes<T>::Vector* __restrict b,
                                      const typename Lanes<T>::Vector* __restrict kp,
                                      const typename Lanes<T>::Vector* __restrict km, int64_t taps, int64_t L,
                                      typename Lanes<T>::Vector* __restrict first,
                                      typename Lanes<T>::Vector* __restrict second) {
    using V = typename Lanes<T>::Vector;
    constexpr int64_t R = kTimeBlock;
    for (int64_t l0 = 0; l0 < L; l0 += R) {
        V acc1[R], acc2[R];
        for (int64_t r = 0; r < R; ++r) acc1[r] = acc2[r] = V{};
        const int64_t jmax = std::min<int64_t>(taps, Step < 0 ? l0 + R : L - l0);
        for (int64_t j = 0; j < jmax; ++j) {
            const V p = kp[j], m = km[j];
            const V* srcA = a + l0 + Step * j;
            const V* srcB = b + l0 + Step * j;
            for (int64_t r = 0; r < R; ++r) {
                acc1[r] += p * srcA[r];
                if (HasB) acc1[r] += m * srcB[r];
                if (Second) {
                    acc2[r] += m * srcA[r];
                    if (HasB) acc2[r] += p * srcB[r];
                }
            }
        }
        for (int64_t r = 0; r < R && l0 + r < L; ++r) {
            first[l0 + r] = acc1[r];
            if (Second) second[l0 + r] = acc2[r];
        }
    }
}

// Every row (b,h) through tileSignTapSums with K[h]. Operands: u+ and u- of `a` (signsOfA; u-
// and u+ when negativeFirst), or `a` and `b` (b undefined: zero). Returns (first, second); second
// only when asked for.
std::pair<torch::Tensor, torch::Tensor> signMapRows(const torch::Tensor& a, const torch::Tensor& b, bool signsOfA,
                                                    bool negativeFirst, const SignSplitKernel& k, Direction direction,
                                                    bool wantSecond) {
    TORCH_CHECK(a.dim() == 3 && a.size(1) == k.channels && a.scalar_type() == k.tiles.scalar_type(),
                "causalConvSignGroups: u (B,H,L) of the kernel's channels and dtype expected");
    const auto inA = a.contiguous();
    const auto inB = b.defined() ? b.contiguous() : b;
    const int64_t B = inA.size(0), H = inA.size(1), L = inA.size(2), taps = std::min(k.taps, L);
    auto first = torch::empty_like(inA);
    auto second = wantSecond ? torch::empty_like(inA) : torch::Tensor();
    const bool hasB = signsOfA || inB.defined();
    AT_DISPATCH_FLOATING_TYPES(inA.scalar_type(), "causalConvSignGroups", [&] {
        using T = scalar_t;
        using V = typename Lanes<T>::Vector;
        constexpr int64_t W = Lanes<T>::count, R = kTimeBlock;
        const int64_t tiles = (H + W - 1) / W, tileSize = k.taps * W;
        auto asVectors = [](T* p) { return reinterpret_cast<V*>(p); };
        T* kpt = k.tiles.data_ptr<T>();
        T* kmt = kpt + tiles * tileSize;
        at::parallel_for(0, B * tiles, std::max<int64_t>(1, kRowsPerTask / W), [&](int64_t begin, int64_t end) {
            // Two operand tiles with R zero rows before and after, then the two results.
            const int64_t padded = (L + 2 * R) * W;
            auto buffers = torch::zeros({2 * padded + 2 * L * W}, inA.options());
            T* tileA = buffers.data_ptr<T>() + R * W;
            T* tileB = tileA + padded;
            T* result1 = buffers.data_ptr<T>() + 2 * padded;
            T* result2 = result1 + L * W;
            for (int64_t task = begin; task < end; ++task) {
                const int64_t bi = task / tiles, t = task % tiles, h0 = t * W, width = std::min(W, H - h0);
                const int64_t rowOffset = (bi * H + h0) * L;
                rowsToTile<T>(inA.data_ptr<T>() + rowOffset, width, L, L, tileA);
                if (signsOfA) {
                    negativeFirst ? splitBySign<T>(tileA, L * W, tileB, tileA) : splitBySign<T>(tileA, L * W, tileA, tileB);
                } else if (inB.defined()) {
                    rowsToTile<T>(inB.data_ptr<T>() + rowOffset, width, L, L, tileB);
                }
                const V* kp = asVectors(kpt + t * tileSize);
                const V* km = asVectors(kmt + t * tileSize);
                V *va = asVectors(tileA), *vb = asVectors(tileB), *r1 = asVectors(result1), *r2 = asVectors(result2);
                const bool convolve = direction == Direction::Convolve;
                if (convolve && wantSecond)
                    tileSignTapSums<-1, true, true, T>(va, vb, kp, km, taps, L, r1, r2);
                else if (convolve)
                    tileSignTapSums<-1, false, true, T>(va, vb, kp, km, taps, L, r1, r2);
                else if (hasB)
                    tileSignTapSums<+1, true, true, T>(va, vb, kp, km, taps, L, r1, r2);
                else
                    tileSignTapSums<+1, true, false, T>(va, vb, kp, km, taps, L, r1, r2);
                tileToRows<T>(result1, width, L, L, first.data_ptr<T>() + rowOffset);
                if (wantSecond) tileToRows<T>(result2, width, L, L, second.data_ptr<T>() + rowOffset);
            }
        });
    });
    return {first, second};
}

// Gradients of K (H,Lk) and D (H), summed over the batch; each thread owns a range of channels.
std::pair<torch::Tensor, torch::Tensor> parameterGradients(const torch::Tensor& grad, const torch::Tensor& u,
                                                           int64_t Lk) {
    const auto g = grad.contiguous();
    const auto in = u.contiguous();
    const int64_t B = in.size(0), H = in.size(1), L = in.size(2), taps = std::min(Lk, L);
    auto gk = torch::zeros({H, Lk}, in.options());  // taps beyond L never act: zero gradient
    auto gd = torch::zeros({H}, in.options());
    AT_DISPATCH_FLOATING_TYPES(in.scalar_type(), "causalConvParameters", [&] {
        const scalar_t* gp = g.data_ptr<scalar_t>();
        const scalar_t* up = in.data_ptr<scalar_t>();
        scalar_t* gkp = gk.data_ptr<scalar_t>();
        scalar_t* gdp = gd.data_ptr<scalar_t>();
        // dK[h,j] = sum_b sum_m u[b,h,m] g[b,h,m+j]: a correlation of g with u as the taps.
        at::parallel_for(0, H, std::max<int64_t>(1, kRowsPerTask / B), [&](int64_t begin, int64_t end) {
            PaddedRow<scalar_t> padded;
            std::vector<scalar_t> row(taps);
            for (int64_t h = begin; h < end; ++h)
                for (int64_t b = 0; b < B; ++b) {
                    const scalar_t* gr = gp + (b * H + h) * L;
                    const scalar_t* ur = up + (b * H + h) * L;
                    blockedTapSums<+1>(padded.assign(gr, L), ur, scalar_t(0), L, L, taps, row.data());
                    for (int64_t j = 0; j < taps; ++j) gkp[h * Lk + j] += row[j];
                    scalar_t dot = 0;
                    for (int64_t l = 0; l < L; ++l) dot += gr[l] * ur[l];
                    gdp[h] += dot;
                }
        });
    });
    return {gk, gd};
}

struct CausalConvFn : public torch::autograd::Function<CausalConvFn> {
    static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& u, const torch::Tensor& K,
                                 const torch::Tensor& D) {
        ctx->save_for_backward({u, K, D});
        return mapRows(u, K, D, Direction::Convolve);
    }
    static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::tensor_list grads) {
        const auto saved = ctx->get_saved_variables();
        const auto &u = saved[0], &K = saved[1], &D = saved[2];
        torch::Tensor gu, gk, gd;
        if (ctx->needs_input_grad(0)) gu = mapRows(grads[0], K, D, Direction::Correlate);
        if (ctx->needs_input_grad(1) || ctx->needs_input_grad(2)) {
            std::tie(gk, gd) = parameterGradients(grads[0], u, K.size(1));
            if (!ctx->needs_input_grad(1)) gk = torch::Tensor();
            if (!ctx->needs_input_grad(2)) gd = torch::Tensor();
        }
        return {gu, gk, gd};
    }
};

bool byFft(int64_t L, int64_t taps) { return std::min(L, taps) >= kFftConvolutionTaps; }

}  // namespace

torch::Tensor causalConv(const torch::Tensor& u, const torch::Tensor& K, const torch::Tensor& D) {
    if (byFft(u.size(-1), K.size(-1))) {
        checkShapes(u, K, D);
        const auto y = fftCausalConv(u, K);
        return D.defined() ? y + u * D.view({1, -1, 1}) : y;
    }
    if (!recordsGraph({u, K, D})) return mapRows(u, K, D, Direction::Convolve);
    // autograd::Function cannot take an undefined tensor.
    return CausalConvFn::apply(u, K, D.defined() ? D : torch::zeros({u.size(1)}, u.options()));
}

torch::Tensor causalConvAdjoint(const torch::Tensor& g, const torch::Tensor& K, const torch::Tensor& D) {
    if (byFft(g.size(-1), K.size(-1))) {
        checkShapes(g, K, D);
        const auto gu = fftCausalCorrelate(g, K);
        return D.defined() ? gu + g * D.view({1, -1, 1}) : gu;
    }
    return mapRows(g, K, D, Direction::Correlate);
}

SignSplitKernel splitKernelBySign(const torch::Tensor& K) {
    TORCH_CHECK(K.dim() == 2, "splitKernelBySign: K (H,Lk) expected");
    const auto k = K.contiguous();
    SignSplitKernel out;
    out.channels = k.size(0);
    out.taps = k.size(1);
    if (out.taps >= kFftConvolutionTaps) {  // the FFT path: the two halves, in float64 (see fftSignGroup)
        const auto wide = k.to(torch::kDouble);
        out.positive = wide.clamp_min(0);
        out.negative = wide.clamp_max(0);
        return out;
    }
    AT_DISPATCH_FLOATING_TYPES(k.scalar_type(), "splitKernelBySign", [&] {
        using T = scalar_t;
        constexpr int64_t W = Lanes<T>::count;
        const int64_t H = out.channels, tiles = (H + W - 1) / W, tileSize = out.taps * W;
        out.tiles = torch::zeros({2 * tiles * tileSize}, k.options());  // lanes past H stay zero
        T* kpt = out.tiles.data_ptr<T>();
        for (int64_t t = 0; t < tiles; ++t)
            rowsToTile<T>(k.data_ptr<T>() + t * W * out.taps, std::min(W, H - t * W), out.taps, out.taps, kpt + t * tileSize);
        splitBySign<T>(kpt, tiles * tileSize, kpt, kpt + tiles * tileSize);
    });
    return out;
}

SignGroups causalConvSignGroups(const torch::Tensor& u, const SignSplitKernel& K, WhichGroups which) {
    if (!K.tiles.defined()) {
        const auto wide = u.to(torch::kDouble);
        const auto up = wide.clamp_min(0), um = wide.clamp_max(0);
        const auto reach = (K.positive - K.negative).narrow(-1, 0, std::min(K.taps, u.size(-1))).sum(-1);  // sum |K|, (H)
        const auto floor = 1e-11 * reach.view({1, -1, 1}) * std::get<0>(wide.abs().max(-1, true));
        SignGroups g;
        if (which != WhichGroups::Negative) g.positive = fftSignGroup(up, K.positive, um, K.negative, floor).to(u.scalar_type());
        if (which != WhichGroups::Positive) g.negative = fftSignGroup(up, K.negative, um, K.positive, floor).to(u.scalar_type());
        return g;
    }
    // The first result is the positive group; with u+ and u- trading places, the negative one.
    const bool negativeOnly = which == WhichGroups::Negative;
    auto [first, second] =
        signMapRows(u, {}, true, negativeOnly, K, Direction::Convolve, which == WhichGroups::Both);
    return negativeOnly ? SignGroups{torch::Tensor(), first} : SignGroups{first, second};
}

torch::Tensor causalConvSignGroupsAdjoint(const torch::Tensor& u, const SignSplitKernel& K, const torch::Tensor& p,
                                          const torch::Tensor& n) {
    const int64_t L = u.size(2);
    TORCH_CHECK(p.sizes() == u.sizes() && (!n.defined() || (n.dim() == 3 && n.size(0) == u.size(0) &&
                                                             n.size(1) == u.size(1) && n.size(2) <= L)),
                "causalConvSignGroupsAdjoint: p shaped like u and n a prefix of that expected");
    if (!K.tiles.defined()) {
        // u (.) (u > 0 ? K+ (x) p + K- (x) n : K- (x) p + K+ (x) n), n zero past its steps. In
        // float64 like the groups: a large quotient at one step (a small group) would otherwise
        // spread its rounding noise over every input.
        const auto pw = p.to(torch::kDouble);
        const auto nFull = !n.defined() ? torch::zeros_like(pw)
                           : n.size(2) == L ? n.to(torch::kDouble)
                                            : torch::constant_pad_nd(n.to(torch::kDouble), {0, L - n.size(2)}, 0);
        return combineBySign(u, fftMap(pw, K.positive, nFull, K.negative, true).to(u.scalar_type()),
                             fftMap(pw, K.negative, nFull, K.positive, true).to(u.scalar_type()));
    }
    if (!n.defined() || n.size(2) == L) {
        auto [forPositive, forNegative] = signMapRows(p, n, false, false, K, Direction::Correlate, true);
        return combineBySign(u, forPositive, forNegative);
    }
    // n is zero after its first s steps: as the adjoint only looks ahead, its part reaches the
    // first s inputs only and is the adjoint over those s steps alone.
    auto [forPositive, forNegative] = signMapRows(p, {}, false, false, K, Direction::Correlate, true);
    auto out = combineBySign(u, forPositive, forNegative);
    const int64_t s = n.size(2);
    const auto head = u.narrow(2, 0, s);
    auto [nPositive, nNegative] = signMapRows(n, {}, false, false, K, Direction::Correlate, true);
    out.narrow(2, 0, s).add_(combineBySign(head, nNegative, nPositive));  // W- for u > 0, W+ for u < 0
    return out;
}

}  // namespace s4scope
