// The S4D kernel against a naive double-precision evaluation of its formula, the convolution (and
// DESIGN.md's FFT form of it) against the direct causal sum, and the per-length kernel cache.
#include <torch/torch.h>  // torch before Qt: Qt's `slots` macro breaks libtorch headers

#include <QtTest>

#include <atomic>
#include <complex>
#include <stdexcept>

#include <omp.h>

#include "model/s4_model.h"
#include "model/causal_conv.h"
#include "model/channel_norm.h"
#include "model/gated_linear_unit.h"
#include "model/runtime.h"
#include "model/s4d_kernel.h"
#include "model/sign_split.h"

using namespace s4scope;

namespace {

struct KernelParams {
    torch::Tensor log_dt, C, log_A_real, A_imag;
};

// The four products of the alpha-beta rule, by libtorch: positive terms W+x+ + W-x-, negative
// ones W-x+ + W+x-, for W (J,C) and x (B,C,L).
std::pair<torch::Tensor, torch::Tensor> fourProducts(const torch::Tensor& W, const torch::Tensor& x) {
    const auto Wp = W.clamp_min(0), Wm = W.clamp_max(0), xp = x.clamp_min(0), xm = x.clamp_max(0);
    return {torch::matmul(Wp, xp) + torch::matmul(Wm, xm), torch::matmul(Wm, xp) + torch::matmul(Wp, xm)};
}

// Their relevance for quotients p, n: x+ (W+^T p + W-^T n) + x- (W-^T p + W+^T n).
torch::Tensor fourAdjoints(const torch::Tensor& W, const torch::Tensor& x, const torch::Tensor& p,
                           const torch::Tensor& n) {
    const auto Wp = W.clamp_min(0).t(), Wm = W.clamp_max(0).t();
    return x.clamp_min(0) * (torch::matmul(Wp, p) + torch::matmul(Wm, n)) +
           x.clamp_max(0) * (torch::matmul(Wm, p) + torch::matmul(Wp, n));
}

// Random values with exact zeros among them (zero weights and inputs belong to neither group).
torch::Tensor withZeros(torch::Tensor t) { return t.masked_fill_(torch::rand_like(t) < 0.1, 0.0); }

double relativeDifference(const torch::Tensor& a, const torch::Tensor& b) {
    return (a - b).abs().max().item<double>() / std::max(1e-300, b.abs().max().item<double>());
}

KernelParams randomParams(int64_t H, int64_t N, torch::Dtype dtype) {
    return {torch::rand({H}, dtype) * (std::log(0.1) - std::log(0.001)) + std::log(0.001),
            torch::randn({H, N / 2, 2}, dtype), torch::randn({H, N / 2}, dtype) * 0.5 + std::log(0.5),
            M_PI * torch::arange(N / 2, dtype).repeat({H, 1}) + torch::randn({H, N / 2}, dtype)};
}

// K[h,l] straight from the formula, one term at a time, in double precision.
std::vector<double> naiveKernel(const KernelParams& p, int64_t L) {
    const auto log_dt = p.log_dt.to(torch::kDouble), C = p.C.to(torch::kDouble);
    const auto lar = p.log_A_real.to(torch::kDouble), ai = p.A_imag.to(torch::kDouble);
    const int64_t H = log_dt.size(0), N2 = lar.size(1);
    std::vector<double> K(H * L, 0.0);
    for (int64_t h = 0; h < H; ++h) {
        const double dt = std::exp(log_dt[h].item<double>());
        for (int64_t n = 0; n < N2; ++n) {
            const std::complex<double> A(-std::exp(lar[h][n].item<double>()), ai[h][n].item<double>());
            const std::complex<double> c(C[h][n][0].item<double>(), C[h][n][1].item<double>());
            const std::complex<double> ct = c * (std::exp(dt * A) - 1.0) / A;
            for (int64_t l = 0; l < L; ++l) K[h * L + l] += 2.0 * std::real(ct * std::exp(dt * A * double(l)));
        }
    }
    return K;
}

}  // namespace

class TestKernel : public QObject {
    Q_OBJECT
private slots:
    void kernelMatchesNaiveFormula_data() {
        QTest::addColumn<int>("H");
        QTest::addColumn<int>("N");
        QTest::addColumn<int>("L");
        QTest::newRow("tiny") << 1 << 2 << 5;
        QTest::newRow("small") << 4 << 8 << 37;
        QTest::newRow("card-like") << 16 << 64 << 100;
        QTest::newRow("long") << 3 << 16 << 1000;
    }
    void kernelMatchesNaiveFormula() {
        QFETCH(int, H);
        QFETCH(int, N);
        QFETCH(int, L);
        torch::manual_seed(H * 1000 + N * 10 + L);
        const auto p = randomParams(H, N, torch::kFloat);
        const auto naive = naiveKernel(p, L);
        double scale = 0;
        for (double v : naive) scale = std::max(scale, std::abs(v));

        // Float32 (what the model runs): rounding of the phase dt*A*l bounds the error.
        const auto K32 = s4dKernel(p.log_dt, p.C, p.log_A_real, p.A_imag, L).to(torch::kDouble).contiguous();
        // Float64 through the same code: must equal the formula to rounding.
        const auto K64 = s4dKernel(p.log_dt.to(torch::kDouble), p.C.to(torch::kDouble),
                                   p.log_A_real.to(torch::kDouble), p.A_imag.to(torch::kDouble), L)
                             .contiguous();
        QCOMPARE(K32.sizes().vec(), (std::vector<int64_t>{H, L}));
        double err32 = 0, err64 = 0;
        for (int64_t i = 0; i < H * L; ++i) {
            err32 = std::max(err32, std::abs(K32.data_ptr<double>()[i] - naive[i]));
            err64 = std::max(err64, std::abs(K64.data_ptr<double>()[i] - naive[i]));
        }
        QVERIFY2(err64 <= 1e-10 * std::max(1.0, scale), qPrintable(QString("float64 error %1").arg(err64)));
        QVERIFY2(err32 <= 1e-4 * std::max(1.0, scale), qPrintable(QString("float32 error %1").arg(err32)));
    }

    void convolutionMatchesDirectSum_data() {
        QTest::addColumn<int>("L");
        QTest::addColumn<bool>("dbl");
        for (int L : {1, 7, 100, 257})
            for (bool dbl : {false, true})
                QTest::newRow(qPrintable(QString("L=%1 %2").arg(L).arg(dbl ? "float64" : "float32"))) << L << dbl;
    }
    void convolutionMatchesDirectSum() {
        QFETCH(int, L);
        QFETCH(bool, dbl);
        torch::manual_seed(L);
        // 19 channels: a full tile of 16 float lanes and a partial one (two full tiles of 8 doubles
        // and a partial one); L = 100 and 257 take the in-register transposes and their tails.
        const int64_t B = 2, H = 19;
        const auto opts = torch::TensorOptions().dtype(dbl ? torch::kDouble : torch::kFloat);
        const auto u = torch::randn({B, H, L}, opts);
        // Kernel with more taps than the input: only the first L may act.
        const auto K = torch::randn({H, L + 3}, opts) * torch::exp(-0.05 * torch::arange(L + 3, opts)).unsqueeze(0);
        const auto D = torch::randn({H}, opts);
        const auto y = causalConv(u, K, D).to(torch::kDouble);
        const auto yFft = (fftCausalConvolution(u, K.narrow(1, 0, L)) + u * D.unsqueeze(-1)).to(torch::kDouble);
        const auto ud = u.to(torch::kDouble), Kd = K.to(torch::kDouble), Dd = D.to(torch::kDouble);
        auto ua = ud.accessor<double, 3>();
        auto Ka = Kd.accessor<double, 2>();
        auto Da = Dd.accessor<double, 1>();
        auto ya = y.accessor<double, 3>();
        auto yf = yFft.accessor<double, 3>();
        double err = 0, errFft = 0, scale = 0;
        for (int64_t b = 0; b < B; ++b)
            for (int64_t h = 0; h < H; ++h)
                for (int64_t l = 0; l < L; ++l) {
                    double sum = Da[h] * ua[b][h][l];
                    for (int64_t j = 0; j <= l; ++j) sum += Ka[h][j] * ua[b][h][l - j];
                    err = std::max(err, std::abs(sum - ya[b][h][l]));
                    errFft = std::max(errFft, std::abs(sum - yf[b][h][l]));
                    scale = std::max(scale, std::abs(sum));
                }
        QVERIFY2(err <= 1e-5 * std::max(1.0, scale), qPrintable(QString("error %1 (scale %2)").arg(err).arg(scale)));
        QVERIFY2(errFft <= 1e-5 * std::max(1.0, scale), qPrintable(QString("FFT error %1 (scale %2)").arg(errFft).arg(scale)));
    }

    // The hand-written backward against float64 central differences, for u, K and D, at batch
    // sizes that take the serial and the parallel path.
    void convolutionGradientsMatchFiniteDifferences_data() {
        QTest::addColumn<int>("B");
        QTest::newRow("B=1") << 1;
        QTest::newRow("B=300 (parallel)") << 300;
    }
    void convolutionGradientsMatchFiniteDifferences() {
        QFETCH(int, B);
        torch::manual_seed(B);
        const int64_t H = 2, L = 9;
        const auto opts = torch::TensorOptions().dtype(torch::kDouble);
        auto u = torch::randn({B, H, L}, opts).requires_grad_(true);
        auto K = torch::randn({H, L}, opts).requires_grad_(true);
        auto D = torch::randn({H}, opts).requires_grad_(true);
        const auto weights = torch::randn({B, H, L}, opts);  // loss = sum(weights * y)
        auto loss = [&](const torch::Tensor& uu, const torch::Tensor& kk, const torch::Tensor& dd) {
            torch::NoGradGuard g;
            return (weights * causalConv(uu, kk, dd)).sum().item<double>();
        };
        const auto grads = torch::autograd::grad({(weights * causalConv(u, K, D)).sum()}, {u, K, D});
        const double h = 1e-6;
        auto check = [&](const torch::Tensor& param, const torch::Tensor& grad, const char* name) {
            const auto flat = param.detach().reshape({-1});
            const auto gflat = grad.reshape({-1});
            for (int64_t i = 0; i < std::min<int64_t>(flat.numel(), 40); ++i) {
                const int64_t k = (i * 7919) % flat.numel();
                auto plus = flat.clone(), minus = flat.clone();
                plus[k] += h;
                minus[k] -= h;
                auto eval = [&](const torch::Tensor& f) {
                    const auto p = f.view(param.sizes());
                    if (param.data_ptr() == u.data_ptr()) return loss(p, K.detach(), D.detach());
                    if (param.data_ptr() == K.data_ptr()) return loss(u.detach(), p, D.detach());
                    return loss(u.detach(), K.detach(), p);
                };
                const double fd = (eval(plus) - eval(minus)) / (2 * h);
                const double an = gflat[k].item<double>();
                QVERIFY2(std::abs(fd - an) <= 1e-6 * std::max(1.0, std::abs(fd)),
                         qPrintable(QString("%1[%2]: analytic %3, finite difference %4").arg(name).arg(k).arg(an).arg(fd)));
            }
        };
        check(u, grads[0], "u");
        check(K, grads[1], "K");
        check(D, grads[2], "D");
        // The adjoint used by LRP is the same vector-Jacobian product.
        const auto g = torch::randn({B, H, L}, opts);
        const auto vjp = torch::autograd::grad({causalConv(u, K, D)}, {u}, {g})[0];
        QVERIFY(torch::allclose(causalConvAdjoint(g, K.detach(), D.detach()), vjp, 1e-12, 1e-12));
    }

    // The no-grad LayerNorm over channels against libtorch's layer_norm on the transposed tensor,
    // in float64 (to rounding) and float32, with and without affine parameters.
    void channelLayerNormMatchesLibtorch_data() {
        QTest::addColumn<bool>("dbl");
        QTest::addColumn<bool>("affine");
        QTest::newRow("float64, affine") << true << true;
        QTest::newRow("float64, plain") << true << false;
        QTest::newRow("float32, affine") << false << true;
    }
    void channelLayerNormMatchesLibtorch() {
        QFETCH(bool, dbl);
        QFETCH(bool, affine);
        torch::manual_seed(7);
        const auto opts = torch::TensorOptions().dtype(dbl ? torch::kDouble : torch::kFloat);
        const int64_t B = 3, H = 19, L = 37;
        const auto x = torch::randn({B, H, L}, opts) * 3 + 1;
        const auto w = affine ? torch::randn({H}, opts) : torch::Tensor();
        const auto b = affine ? torch::randn({H}, opts) : torch::Tensor();
        const auto got = channelLayerNorm(x, w, b, 1e-5);
        const auto ref = at::native_layer_norm(x.transpose(1, 2), {H}, w, b, 1e-5);
        const auto expected = std::get<0>(ref).transpose(1, 2);
        const auto expectedInverse = std::get<2>(ref).transpose(1, 2);
        const double tol = dbl ? 1e-12 : 1e-5;
        QCOMPARE(got.output.sizes(), x.sizes());
        QCOMPARE(got.inverseSigma.sizes(), torch::IntArrayRef({B, 1, L}));
        QVERIFY2(torch::allclose(got.output, expected, tol, tol),
                 qPrintable(QString("max error %1").arg((got.output - expected).abs().max().item<double>())));
        QVERIFY(torch::allclose(got.inverseSigma, expectedInverse, tol, tol));
    }

    // Its fused backward: against autograd through libtorch's layer_norm (float64, to rounding)
    // and against central differences, at batch sizes that take the serial and parallel paths.
    void channelLayerNormGradientMatchesLibtorch_data() {
        QTest::addColumn<int>("B");
        QTest::newRow("B=1") << 1;
        QTest::newRow("B=40 (parallel)") << 40;
    }
    void channelLayerNormGradientMatchesLibtorch() {
        QFETCH(int, B);
        torch::manual_seed(B);
        const auto opts = torch::TensorOptions().dtype(torch::kDouble);
        const int64_t H = 19, L = 11;
        auto x = (torch::randn({B, H, L}, opts) * 2 + 0.5).requires_grad_(true);
        const auto w = torch::randn({H}, opts), b = torch::randn({H}, opts);
        const auto weights = torch::randn({B, H, L}, opts);  // loss = sum(weights * y)
        const auto got = torch::autograd::grad({(weights * layerNormOverChannels(x, w, b, 1e-5)).sum()}, {x})[0];
        const auto ref = torch::layer_norm(x.transpose(1, 2), {H}, w, b, 1e-5).transpose(1, 2);
        const auto expected = torch::autograd::grad({(weights * ref).sum()}, {x})[0];
        QVERIFY2(torch::allclose(got, expected, 1e-10, 1e-10),
                 qPrintable(QString("max error %1").arg((got - expected).abs().max().item<double>())));
        const auto flat = x.detach().reshape({-1});
        auto loss = [&](const torch::Tensor& f) {
            torch::NoGradGuard g;
            return (weights * layerNormOverChannels(f.view(x.sizes()), w, b, 1e-5)).sum().item<double>();
        };
        for (int64_t i = 0; i < 20; ++i) {
            const int64_t k = (i * 7919) % flat.numel();
            auto plus = flat.clone(), minus = flat.clone();
            plus[k] += 1e-6;
            minus[k] -= 1e-6;
            const double fd = (loss(plus) - loss(minus)) / 2e-6;
            QVERIFY2(std::abs(fd - got.reshape({-1})[k].item<double>()) <= 1e-6 * std::max(1.0, std::abs(fd)),
                     qPrintable(QString("x[%1]: finite difference %2").arg(k).arg(fd)));
        }
    }

    // The fused GLU against a * sigmoid(b) and autograd through libtorch's ops (float64, to
    // rounding), at batch sizes that take the serial and the parallel path.
    void gatedLinearUnitMatchesLibtorch_data() {
        QTest::addColumn<int>("B");
        QTest::newRow("B=1") << 1;
        QTest::newRow("B=20 (parallel)") << 20;
    }
    void gatedLinearUnitMatchesLibtorch() {
        QFETCH(int, B);
        torch::manual_seed(B);
        const auto opts = torch::TensorOptions().dtype(torch::kDouble);
        const int64_t H = 5, L = 13;
        auto ab = (torch::randn({B, 2 * H, L}, opts) * 3).requires_grad_(true);
        const auto weights = torch::randn({B, H, L}, opts);
        const auto z = gatedLinearUnit(ab);
        const auto halves = ab.chunk(2, 1);
        const auto expected = halves[0] * torch::sigmoid(halves[1]);
        QVERIFY(torch::allclose(z, expected, 1e-14, 1e-14));
        const auto got = torch::autograd::grad({(weights * z).sum()}, {ab})[0];
        const auto want = torch::autograd::grad({(weights * expected).sum()}, {ab})[0];
        QVERIFY2(torch::allclose(got, want, 1e-12, 1e-12),
                 qPrintable(QString("max error %1").arg((got - want).abs().max().item<double>())));
        torch::NoGradGuard noGrad;
        QVERIFY(torch::allclose(gatedLinearUnit(ab), expected, 1e-14, 1e-14));
    }

    // Batched passes split with parallelSlices: every index exactly once, on threads that see the
    // caller's autograd modes, with one OpenMP thread for the ops inside, exceptions rethrown.
    void parallelSlicesCoverEveryIndexOnce() {
        ensureRuntime();
        for (int64_t n : {0, 1, 2, 7, 33}) {
            std::vector<std::atomic<int>> seen(n);
            std::atomic<bool> modesKept{true};
            {
                c10::InferenceMode inference;
                parallelSlices(n, [&](int64_t begin, int64_t end) {
                    if (!c10::InferenceMode::is_enabled() || omp_get_max_threads() != 1) modesKept = false;
                    for (int64_t i = begin; i < end; ++i) seen[i]++;
                });
            }
            for (int64_t i = 0; i < n; ++i) QCOMPARE(seen[i].load(), 1);
            QVERIFY(modesKept.load());
        }
        torch::AutoGradMode grad(true);
        parallelSlices(8, [&](int64_t, int64_t) { QVERIFY(torch::GradMode::is_enabled()); });
        bool thrown = false;
        try {
            parallelSlices(8, [](int64_t begin, int64_t) {
                if (begin > 0) throw std::runtime_error("slice failed");
            });
        } catch (const std::runtime_error& e) {
            thrown = QString(e.what()) == "slice failed";
        }
        QVERIFY(thrown);
    }

    // Sums by sign against the four products, in float64 (each group summed in another order, so
    // equal to rounding) and float32: several column blocks (C = 70), rows that end inside a
    // chunk, in the second chunk (L = 113), a single step (the decoder), strided inputs, zeros; with
    // the chunk size of this CPU and of one without AVX-512.
    void signGroupsMatchFourProducts() {
        torch::manual_seed(11);
        for (int chunk : {7, 3}) {  // the chunk sizes with and without AVX-512
            forceSignGroupChunkVectors(chunk);
        for (auto dtype : {torch::kDouble, torch::kFloat})
            for (int64_t L : {1, 9, 100, 113}) {
                const auto W = withZeros(torch::randn({37, 70}, torch::kDouble));
                const auto x = withZeros(torch::randn({3, L, 70}, torch::kDouble)).transpose(1, 2);  // strided
                const auto [positive, negative] = fourProducts(W, x);
                const auto both = signGroups(W.to(dtype), x.to(dtype), WhichGroups::Both);
                const auto one = signGroups(W.to(dtype), x.to(dtype), WhichGroups::Positive);
                const auto other = signGroups(W.to(dtype), x.to(dtype), WhichGroups::Negative);
                QVERIFY(!one.negative.defined() && !other.positive.defined());
                const double tol = dtype == torch::kDouble ? 1e-13 : 1e-5;
                using Pair = std::pair<torch::Tensor, torch::Tensor>;
                for (const auto& [got, want] : {Pair{both.positive, positive}, Pair{both.negative, negative},
                                                Pair{one.positive, positive}, Pair{other.negative, negative}}) {
                    const double err = relativeDifference(got.to(torch::kDouble), want);
                    QVERIFY2(err < tol, qPrintable(QString("L=%1 %2: %3").arg(L).arg(c10::toString(dtype)).arg(err)));
                }
                QVERIFY((both.positive >= 0).all().item<bool>() && (both.negative <= 0).all().item<bool>());
            }
        }
        forceSignGroupChunkVectors(0);
    }

    void signGroupsAdjointMatchesFourAdjoints() {
        torch::manual_seed(12);
        for (int chunk : {7, 3}) {
            forceSignGroupChunkVectors(chunk);
        for (auto dtype : {torch::kDouble, torch::kFloat})
            for (int64_t L : {1, 9, 100, 113}) {
                const auto W = withZeros(torch::randn({37, 70}, torch::kDouble));
                const auto x = withZeros(torch::randn({3, 70, L}, torch::kDouble));
                const auto p = torch::randn({3, 37, L}, torch::kDouble), n = torch::randn({3, 37, L}, torch::kDouble);
                const double tol = dtype == torch::kDouble ? 1e-13 : 1e-5;
                const auto full = signGroupsAdjoint(W.to(dtype), x.to(dtype), p.to(dtype), n.to(dtype));
                const auto positiveOnly = signGroupsAdjoint(W.to(dtype), x.to(dtype), p.to(dtype), torch::Tensor());
                // n over the first steps only (zero after).
                const int64_t s = (L + 1) / 2;
                const auto head = n.narrow(2, 0, s);
                const auto padded = torch::cat({head, torch::zeros({3, 37, L - s}, torch::kDouble)}, 2);
                const auto headOnly = signGroupsAdjoint(W.to(dtype), x.to(dtype), p.to(dtype), head.to(dtype));
                const double e1 = relativeDifference(full.to(torch::kDouble), fourAdjoints(W, x, p, n));
                const double e2 = relativeDifference(positiveOnly.to(torch::kDouble), fourAdjoints(W, x, p, torch::zeros_like(n)));
                const double e3 = relativeDifference(headOnly.to(torch::kDouble), fourAdjoints(W, x, p, padded));
                QVERIFY2(e1 < tol && e2 < tol && e3 < tol,
                         qPrintable(QString("L=%1 %2: %3 %4 %5").arg(L).arg(c10::toString(dtype)).arg(e1).arg(e2).arg(e3)));
            }
        }
        forceSignGroupChunkVectors(0);
    }

    // The convolution's sums by sign against its four convolutions, and their adjoint against
    // the four adjoints (libtorch's conv-free direct sums: causalConv is tested above), in float64
    // and float32, with a partial tile of channels (H = 19) and kernels shorter and longer than L.
    void convolutionSignGroupsMatchFourConvolutions() {
        torch::manual_seed(14);
        for (auto dtype : {torch::kDouble, torch::kFloat})
            for (auto [L, Lk] : {std::pair<int64_t, int64_t>{100, 100}, {37, 20}, {10, 40}}) {
                const auto K = withZeros(torch::randn({19, Lk}, torch::kDouble));
                const auto u = withZeros(torch::randn({2, 19, L}, torch::kDouble));
                const auto Kp = K.clamp_min(0), Km = K.clamp_max(0), up = u.clamp_min(0), um = u.clamp_max(0);
                const auto positive = causalConv(up, Kp) + causalConv(um, Km);
                const auto negative = causalConv(up, Km) + causalConv(um, Kp);
                const auto p = torch::randn_like(u), n = torch::randn_like(u);
                const auto relevance = up * (causalConvAdjoint(p, Kp) + causalConvAdjoint(n, Km)) +
                                       um * (causalConvAdjoint(p, Km) + causalConvAdjoint(n, Kp));
                const auto onlyP = up * causalConvAdjoint(p, Kp) + um * causalConvAdjoint(p, Km);
                const auto split = splitKernelBySign(K.to(dtype));
                const auto groups = causalConvSignGroups(u.to(dtype), split, WhichGroups::Both);
                const auto adjoint = causalConvSignGroupsAdjoint(u.to(dtype), split, p.to(dtype), n.to(dtype));
                const auto adjointP = causalConvSignGroupsAdjoint(u.to(dtype), split, p.to(dtype), torch::Tensor());
                // n over the first steps only (zero after).
                const int64_t s = (L + 1) / 2;
                const auto nHead = torch::cat({n.narrow(2, 0, s), torch::zeros({2, 19, L - s}, torch::kDouble)}, 2);
                const auto relevanceHead = up * (causalConvAdjoint(p, Kp) + causalConvAdjoint(nHead, Km)) +
                                           um * (causalConvAdjoint(p, Km) + causalConvAdjoint(nHead, Kp));
                const auto adjointHead =
                    causalConvSignGroupsAdjoint(u.to(dtype), split, p.to(dtype), n.narrow(2, 0, s).to(dtype));
                const double tol = dtype == torch::kDouble ? 1e-13 : 1e-5;
                using Pair = std::pair<torch::Tensor, torch::Tensor>;
                for (const auto& [got, want] : {Pair{groups.positive, positive}, Pair{groups.negative, negative},
                                                Pair{adjoint, relevance}, Pair{adjointP, onlyP},
                                                Pair{adjointHead, relevanceHead},
                                                Pair{causalConvSignGroups(u.to(dtype), split, WhichGroups::Positive).positive, positive},
                                                Pair{causalConvSignGroups(u.to(dtype), split, WhichGroups::Negative).negative, negative}}) {
                    const double err = relativeDifference(got.to(torch::kDouble), want);
                    QVERIFY2(err < tol, qPrintable(QString("L=%1 Lk=%2 %3: %4").arg(L).arg(Lk).arg(c10::toString(dtype)).arg(err)));
                }
            }
    }

    // The terms are cached per weight tensor: changing its values in place must be noticed.
    void signGroupsNoticeChangedWeights() {
        torch::manual_seed(13);
        auto W = torch::randn({16, 20}, torch::kDouble);
        const auto x = torch::randn({1, 20, 30}, torch::kDouble);
        const auto before = signGroups(W, x, WhichGroups::Both).positive;
        QVERIFY(relativeDifference(before, fourProducts(W, x).first) < 1e-13);
        W.mul_(-0.5);
        const auto after = signGroups(W, x, WhichGroups::Both);
        QVERIFY(relativeDifference(after.positive, fourProducts(W, x).first) < 1e-13);
        QVERIFY(relativeDifference(after.negative, fourProducts(W, x).second) < 1e-13);
    }

    void kernelIsCachedPerLengthAndWeights() {
        S4DKernel k(4, 8);
        {
            torch::NoGradGuard g;
            k->log_dt.fill_(std::log(0.01));
            k->C.normal_();
        }
        for (auto& p : k->parameters()) p.set_requires_grad(false);
        const auto a = k->kernel(50);
        const auto b = k->kernel(50);
        QVERIFY(a.data_ptr() == b.data_ptr());  // same length, same weights: no recomputation
        const auto c = k->kernel(60);
        QCOMPARE(c.size(-1), 60);
        {
            torch::NoGradGuard g;
            k->C.mul_(2.0);  // weights change: the cache must notice
        }
        const auto d = k->kernel(60);
        QVERIFY(torch::allclose(d, 2.0 * s4dKernel(k->log_dt, k->C / 2.0, k->log_A_real, k->A_imag, 60), 1e-5, 1e-6));
    }

    void kernelStaysDifferentiableForTraining() {
        S4DKernel k(2, 4);
        {
            torch::NoGradGuard g;
            k->log_dt.fill_(std::log(0.01));
            k->C.normal_();
        }
        const auto K = k->kernel(10);
        QVERIFY(K.requires_grad());
        K.sum().backward();
        QVERIFY(k->C.grad().defined() && k->C.grad().abs().sum().item<float>() > 0);
    }
};

QTEST_GUILESS_MAIN(TestKernel)
#include "test_kernel.moc"
