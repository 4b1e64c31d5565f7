// The state-spaces kernel family (issue 20, item 1) against float64 references written here from
// the formulas, with nothing of the engine's kernel code:
//  - diagonal (S4D): the discretised state space's impulse response 2 Re(C dA^l dB) by repeated
//    multiplication, for zoh and bilinear and every transform of the stored parameters;
//  - DPLR (S4): the explicit power series C dA^k dB of the full (conjugate-pair) state matrix
//    diag(Lambda) - P P^*, discretised bilinearly with a dense solve written below, for C as
//    stored before any forward (l_kernel 0) and as C~ = C (I - dA^L0) after one (l_kernel L0),
//    at shorter and longer lengths (the doubling);
//  - the config's names and the standalone code's aliases for them.
#include <torch/torch.h>  // torch before Qt: Qt's `slots` macro breaks libtorch headers

#include <QFile>
#include <QtTest>

#include <cmath>
#include <complex>
#include <vector>

#include "model/causal_conv.h"
#include "model/ssm_kernel_module.h"
#include "s4scope/error.h"
#include "s4scope/model_config.h"

using namespace s4scope;
using cd = std::complex<double>;
using Matrix = std::vector<std::vector<cd>>;

namespace {

double transformed(double p, const std::string& name) {
    if (name == "exp") return std::exp(p);
    if (name == "relu") return std::max(p, 0.0) + 1e-4;
    if (name == "sigmoid") return 1.0 / (1.0 + std::exp(-p));
    if (name == "softplus") return std::log1p(std::exp(p));
    return p;
}

cd pairAt(const torch::Tensor& pairs, std::vector<int64_t> index) {
    index.push_back(0);
    const double re = pairs.index({index[0], index[1], index[2], 0}).item<double>();
    const double im = pairs.index({index[0], index[1], index[2], 1}).item<double>();
    return {re, im};
}

Matrix identity(size_t n) {
    Matrix m(n, std::vector<cd>(n, 0.0));
    for (size_t i = 0; i < n; ++i) m[i][i] = 1.0;
    return m;
}

Matrix multiply(const Matrix& a, const Matrix& b) {
    const size_t n = a.size();
    Matrix c(n, std::vector<cd>(n, 0.0));
    for (size_t i = 0; i < n; ++i)
        for (size_t k = 0; k < n; ++k)
            for (size_t j = 0; j < n; ++j) c[i][j] += a[i][k] * b[k][j];
    return c;
}

// Solves M X = R for X (Gauss-Jordan with partial pivoting); R has any number of columns.
Matrix solve(Matrix M, Matrix R) {
    const size_t n = M.size(), m = R[0].size();
    for (size_t c = 0; c < n; ++c) {
        size_t p = c;
        for (size_t i = c + 1; i < n; ++i)
            if (std::abs(M[i][c]) > std::abs(M[p][c])) p = i;
        std::swap(M[c], M[p]);
        std::swap(R[c], R[p]);
        for (size_t i = 0; i < n; ++i) {
            if (i == c) continue;
            const cd f = M[i][c] / M[c][c];
            for (size_t j = 0; j < n; ++j) M[i][j] -= f * M[c][j];
            for (size_t j = 0; j < m; ++j) R[i][j] -= f * R[c][j];
        }
    }
    for (size_t i = 0; i < n; ++i)
        for (size_t j = 0; j < m; ++j) R[i][j] /= M[i][i];
    return R;
}

// One channel's DPLR system on the full state of 2 N2 conjugate pairs.
struct FullSystem {
    Matrix dA;             // bilinear discretisation of diag(Lambda) - P P^*
    std::vector<cd> dB;    // (I - dt/2 A)^-1 dt B
    std::vector<cd> C;     // [C, conj C]
};

FullSystem fullSystem(const std::vector<cd>& lambda, const std::vector<std::vector<cd>>& P, const std::vector<cd>& B,
                      const std::vector<cd>& C, double dt) {
    const size_t N2 = lambda.size(), n = 2 * N2;
    auto full = [&](const std::vector<cd>& v) {
        std::vector<cd> f(v);
        for (size_t i = 0; i < N2; ++i) f.push_back(std::conj(v[i]));
        return f;
    };
    const auto fl = full(lambda);
    Matrix A(n, std::vector<cd>(n, 0.0));
    for (size_t i = 0; i < n; ++i) A[i][i] = fl[i];
    for (const auto& p : P) {
        const auto fp = full(p);
        for (size_t i = 0; i < n; ++i)
            for (size_t j = 0; j < n; ++j) A[i][j] -= fp[i] * std::conj(fp[j]);
    }
    Matrix minus = identity(n), plus = identity(n);
    for (size_t i = 0; i < n; ++i)
        for (size_t j = 0; j < n; ++j) {
            minus[i][j] -= dt / 2 * A[i][j];
            plus[i][j] += dt / 2 * A[i][j];
        }
    FullSystem s;
    s.dA = solve(minus, plus);
    Matrix b(n, std::vector<cd>(1));
    const auto fb = full(B);
    for (size_t i = 0; i < n; ++i) b[i][0] = dt * fb[i];
    const auto x = solve(minus, b);
    for (size_t i = 0; i < n; ++i) s.dB.push_back(x[i][0]);
    s.C = full(C);
    return s;
}

std::vector<double> powerSeries(const FullSystem& s, int64_t L) {
    std::vector<double> K;
    std::vector<cd> x = s.dB;  // dA^k dB
    for (int64_t k = 0; k < L; ++k) {
        cd y = 0;
        for (size_t i = 0; i < x.size(); ++i) y += s.C[i] * x[i];
        K.push_back(y.real());
        std::vector<cd> next(x.size(), 0.0);
        for (size_t i = 0; i < x.size(); ++i)
            for (size_t j = 0; j < x.size(); ++j) next[i] += s.dA[i][j] * x[j];
        x = next;
    }
    return K;
}

// Row vector C times (I + sign dA^steps), first half.
std::vector<cd> truncated(const FullSystem& s, int64_t steps, int sign) {
    Matrix power = identity(s.dA.size());
    for (int64_t k = 0; k < steps; ++k) power = multiply(power, s.dA);
    std::vector<cd> out;
    for (size_t j = 0; j < s.C.size() / 2; ++j) {
        cd v = s.C[j];
        for (size_t i = 0; i < s.C.size(); ++i) v += double(sign) * s.C[i] * power[i][j];
        out.push_back(v);
    }
    return out;
}

double maxRelative(const torch::Tensor& K, int64_t h, const std::vector<double>& ref) {
    double err = 0, scale = 1e-300;
    for (size_t l = 0; l < ref.size(); ++l) {
        err = std::max(err, std::abs(K[h][int64_t(l)].item<double>() - ref[l]));
        scale = std::max(scale, std::abs(ref[l]));
    }
    return err / scale;
}

S4LayerOptions optionsFor(const std::string& mode, const std::string& disc, const std::string& real,
                          const std::string& imag, const std::string& dt) {
    S4LayerOptions o;
    o.layer = "s4block";
    o.mode = mode;
    o.disc = disc;
    o.real_transform = real;
    o.imag_transform = imag;
    o.dt_transform = dt;
    return o;
}

// Random stored values, in double, in ranges every transform maps to a stable system.
void randomise(SSMKernelImpl& k, const S4LayerOptions& o) {
    torch::NoGradGuard g;
    k.to(torch::kDouble);
    k.inv_dt.uniform_(o.dt_transform == "exp" ? -4.0 : (o.dt_transform == "none" || o.dt_transform == "relu") ? 0.01 : -4.0,
                      o.dt_transform == "exp" ? -1.5 : (o.dt_transform == "none" || o.dt_transform == "relu") ? 0.2 : -1.0);
    k.A_real.uniform_(0.2, 1.0);
    k.A_imag.uniform_(0.0, 6.0);
    if (o.imag_transform == "sigmoid" || o.imag_transform == "exp") k.A_imag.uniform_(-2.0, 1.5);
    k.B.normal_();
    k.C.normal_();
    if (k.dplr()) k.P.normal_().mul_(0.5);
    for (auto& p : k.parameters()) p.set_requires_grad(false);
}

}  // namespace

class TestS4Kernels : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { torch::manual_seed(20); }

    // S4D / SSMKernelDiag: 2 Re sum_n C_n dA_n^l dB_n with dA, dB from the discretisation's
    // definition, for both discretisations and every transform, with n_ssm copies tiled over the
    // channels (channel h uses copy h mod n_ssm) and dt per channel or per mode.
    void diagonalKernelMatchesTheImpulseResponse() {
        const std::vector<std::string> transforms = {"none", "exp", "relu", "sigmoid", "softplus"};
        const int64_t H = 4, N = 6, N2 = 3, L = 37;
        for (const std::string disc : {"zoh", "bilinear"})
            for (const auto& real : transforms)
                for (const std::string imag : {"none", "softplus", "exp"})
                    for (const bool tied : {true, false}) {
                        auto o = optionsFor("diag", disc, real, imag, real == "none" ? "softplus" : real);
                        o.n_ssm = 2;
                        o.dt_tie = tied;
                        SSMKernel k(H, N, o);
                        randomise(*k, o);
                        const auto K = k->kernel(L);
                        QCOMPARE(K.scalar_type(), torch::kDouble);
                        QVERIFY(K.size(0) == H && K.size(1) == L);
                        for (int64_t h = 0; h < H; ++h) {
                            const int64_t s = h % 2;
                            std::vector<double> ref(L, 0.0);
                            for (int64_t n = 0; n < N2; ++n) {
                                const double dt = transformed(k->inv_dt[h][tied ? 0 : n].item<double>(), o.dt_transform);
                                const cd A(-transformed(k->A_real[s][n].item<double>(), real),
                                           -transformed(k->A_imag[s][n].item<double>(), imag));
                                const cd B = pairAt(k->B, {0, s, n}), C = pairAt(k->C, {0, h, n});
                                cd dA, dB;
                                if (disc == "zoh") {
                                    dA = std::exp(dt * A);
                                    dB = (dA - 1.0) / A * B;
                                } else {
                                    dA = (1.0 + dt * A / 2.0) / (1.0 - dt * A / 2.0);
                                    dB = dt * B / (1.0 - dt * A / 2.0);
                                }
                                cd x = dB;
                                for (int64_t l = 0; l < L; ++l, x *= dA) ref[l] += 2.0 * (C * x).real();
                            }
                            const double err = maxRelative(K, h, ref);
                            if (err > 1e-10)
                                QFAIL(qPrintable(QString("diag %1 real %2 imag %3 tied %4 h %5: relative error %6")
                                                     .arg(QString::fromStdString(disc), QString::fromStdString(real),
                                                          QString::fromStdString(imag))
                                                     .arg(tied)
                                                     .arg(h)
                                                     .arg(err)));
                        }
                    }
    }

    // s4d.py's S4D kernel (log_dt, log_A_real, A = -exp(.) + i A_imag) is the zoh case with B = 1;
    // bilinear too when the config asks.
    void s4dLayoutKernelMatchesTheImpulseResponse() {
        for (const auto disc : {Discretisation::Zoh, Discretisation::Bilinear}) {
            S4DKernel k(3, 8, disc);
            {
                torch::NoGradGuard g;
                k->to(torch::kDouble);
                k->log_dt.uniform_(-5, -2);
                k->C.normal_();
                k->log_A_real.uniform_(-1, 0.5);
                k->A_imag.uniform_(0, 10);
            }
            const int64_t L = 50;
            const auto K = k->kernel(L);
            for (int64_t h = 0; h < 3; ++h) {
                std::vector<double> ref(L, 0.0);
                const double dt = std::exp(k->log_dt[h].item<double>());
                for (int64_t n = 0; n < 4; ++n) {
                    const cd A(-std::exp(k->log_A_real[h][n].item<double>()), k->A_imag[h][n].item<double>());
                    const cd C(k->C[h][n][0].item<double>(), k->C[h][n][1].item<double>());
                    const cd dA = disc == Discretisation::Zoh ? std::exp(dt * A) : (1.0 + dt * A / 2.0) / (1.0 - dt * A / 2.0);
                    const cd dB = disc == Discretisation::Zoh ? (dA - 1.0) / A : dt / (1.0 - dt * A / 2.0);
                    cd x = dB;
                    for (int64_t l = 0; l < L; ++l, x *= dA) ref[l] += 2.0 * (C * x).real();
                }
                QVERIFY2(maxRelative(K, h, ref) < 1e-10, qPrintable(QString::number(maxRelative(K, h, ref))));
            }
        }
    }

    // S4 / SSMKernelDPLR: the Cauchy kernel at the roots of unity with the Woodbury correction and
    // an inverse FFT reproduces the power series C dA^k dB of the dense DPLR system, for ranks 1
    // and 2, odd and even lengths; with C stored as C~ after a forward at L0 (l_kernel = L0) at
    // lengths up to L0 and beyond it (C~ doubled).
    void dplrCauchyKernelMatchesThePowerSeries() {
        for (const int64_t N : {4, 8})
            for (const int64_t rank : {1, 2})
                for (const std::string dtTransform : {"exp", "softplus"}) {
                    auto o = optionsFor("dplr", "bilinear", "exp", "none", dtTransform);
                    o.rank = rank;
                    const int64_t H = 3, N2 = N / 2;
                    SSMKernel k(H, N, o);
                    randomise(*k, o);
                    {
                        torch::NoGradGuard g;
                        k->inv_dt.uniform_(-2.5, -0.5);  // steps where L terms still matter
                    }
                    std::vector<FullSystem> systems;
                    for (int64_t h = 0; h < H; ++h) {
                        std::vector<cd> lambda, B, C;
                        std::vector<std::vector<cd>> P(rank);
                        for (int64_t n = 0; n < N2; ++n) {
                            lambda.emplace_back(-transformed(k->A_real[h][n].item<double>(), "exp"),
                                                -k->A_imag[h][n].item<double>());
                            B.push_back(pairAt(k->B, {0, h, n}));
                            C.push_back(pairAt(k->C, {0, h, n}));
                            for (int64_t r = 0; r < rank; ++r) P[r].push_back(pairAt(k->P, {r, h, n}));
                        }
                        systems.push_back(fullSystem(lambda, P, B, C, transformed(k->inv_dt[h][0].item<double>(), dtTransform)));
                    }
                    for (const int64_t L : {7, 16, 33}) {
                        const auto K = k->kernel(L);
                        QCOMPARE(K.size(1), L);
                        for (int64_t h = 0; h < H; ++h) {
                            const double err = maxRelative(K, h, powerSeries(systems[h], L));
                            QVERIFY2(err < 1e-9, qPrintable(QString("N %1 rank %2 L %3: %4").arg(N).arg(rank).arg(L).arg(err)));
                        }
                    }
                    QCOMPARE(k->l_kernel.item<int64_t>(), int64_t(0));  // the module's weights are untouched

                    // As saved after a forward at L0 = 10: C~ = C (I - dA^10), l_kernel 10.
                    const int64_t L0 = 10;
                    {
                        torch::NoGradGuard g;
                        for (int64_t h = 0; h < H; ++h) {
                            const auto ct = truncated(systems[h], L0, -1);
                            for (int64_t n = 0; n < N2; ++n) {
                                k->C[0][h][n][0] = ct[n].real();
                                k->C[0][h][n][1] = ct[n].imag();
                            }
                        }
                        k->l_kernel.fill_(L0);
                    }
                    for (const int64_t L : {4, 10, 17, 45}) {  // cut, exact, doubled once, doubled thrice
                        const auto K = k->kernel(L);
                        QCOMPARE(K.size(1), L);
                        for (int64_t h = 0; h < H; ++h) {
                            const double err = maxRelative(K, h, powerSeries(systems[h], L));
                            QVERIFY2(err < 1e-8, qPrintable(QString("l_kernel %1, L %2: %3").arg(L0).arg(L).arg(err)));
                        }
                    }
                }
    }

    // state-spaces' rate: a kernel at rate r is the kernel with every dt multiplied by r (diag),
    // here checked by moving the stored dt instead.
    void rateScalesTheTimestep() {
        auto o = optionsFor("diag", "zoh", "exp", "none", "exp");
        SSMKernel k(4, 8, o);
        randomise(*k, o);
        for (const double r : {0.5, 3.0}) {
            k->rate = r;
            const auto scaled = k->kernel(40).clone();
            k->rate = 1.0;
            {
                torch::NoGradGuard g;
                k->inv_dt.add_(std::log(r));
            }
            const auto moved = k->kernel(40).clone();
            {
                torch::NoGradGuard g;
                k->inv_dt.sub_(std::log(r));
            }
            QVERIFY(torch::allclose(scaled, moved, 1e-12, 1e-12));
            QVERIFY(!torch::allclose(scaled, k->kernel(40), 1e-3, 1e-3));
        }
    }

    // Long kernels convolve by FFT: the convolution, its adjoint (LRP's W^T s) and the alpha-beta
    // rules' sign groups and their adjoint against the dense causal Toeplitz matrix of K.
    void fftPathIsTheToeplitzMap() {
        const int64_t B = 2, H = 3, L = 600;
        QVERIFY(L >= kFftConvolutionTaps);
        const auto u = torch::randn({B, H, L}, torch::kDouble);
        const auto K = torch::randn({H, L}, torch::kDouble) * torch::exp(-torch::arange(L, torch::kDouble) / 150.0);
        const auto D = torch::randn({H}, torch::kDouble);
        auto T = torch::zeros({H, L, L}, torch::kDouble);  // T[h, l, j] = K[h, l - j], j <= l
        for (int64_t l = 0; l < L; ++l) T.select(1, l).narrow(1, 0, l + 1).copy_(K.narrow(1, 0, l + 1).flip(1));
        auto apply = [](const torch::Tensor& M, const torch::Tensor& x) { return torch::einsum("hlj,bhj->bhl", {M, x}); };
        auto applyT = [](const torch::Tensor& M, const torch::Tensor& s) { return torch::einsum("hlj,bhl->bhj", {M, s}); };
        const auto Dx = [&](const torch::Tensor& x) { return x * D.view({1, -1, 1}); };
        auto close = [](const torch::Tensor& a, const torch::Tensor& b) {
            return (a - b).abs().max().item<double>() <= 1e-10 * std::max(1.0, b.abs().max().item<double>());
        };
        QVERIFY(close(causalConv(u, K, D), apply(T, u) + Dx(u)));
        const auto g = torch::randn({B, H, L}, torch::kDouble);
        QVERIFY(close(causalConvAdjoint(g, K, D), applyT(T, g) + Dx(g)));
        // Through autograd, the FFT path's gradient is the same adjoint.
        const auto leaf = u.clone().requires_grad_(true);
        const auto grad = torch::autograd::grad({(causalConv(leaf, K, D) * g).sum()}, {leaf})[0];
        QVERIFY(close(grad, applyT(T, g) + Dx(g)));

        const auto split = splitKernelBySign(K);
        QVERIFY(!split.tiles.defined() && split.positive.defined());
        const auto Tp = T.clamp_min(0), Tm = T.clamp_max(0), up = u.clamp_min(0), um = u.clamp_max(0);
        const auto groups = causalConvSignGroups(u, split, WhichGroups::Both);
        QVERIFY(close(groups.positive, apply(Tp, up) + apply(Tm, um)));
        QVERIFY(close(groups.negative, apply(Tm, up) + apply(Tp, um)));
        // In float32 the FFT's groups are exactly zero where the Toeplitz map's group has no term
        // (a one-signed input makes the first steps' groups empty), and close to it elsewhere:
        // alpha-beta must see those zeros to move a neuron's relevance to its other group.
        {
            const auto u32 = (u.abs() * (u.narrow(2, 0, 1) >= 0).to(torch::kDouble) * 2 - u.abs()).to(torch::kFloat);
            const auto K32 = K.to(torch::kFloat);
            const auto w = u32.to(torch::kDouble);
            const auto Td = K32.to(torch::kDouble);
            auto T32 = torch::zeros({H, L, L}, torch::kDouble);
            for (int64_t l = 0; l < L; ++l) T32.select(1, l).narrow(1, 0, l + 1).copy_(Td.narrow(1, 0, l + 1).flip(1));
            const auto exactPositive = apply(T32.clamp_min(0), w.clamp_min(0)) + apply(T32.clamp_max(0), w.clamp_max(0));
            const auto exactNegative = apply(T32.clamp_max(0), w.clamp_min(0)) + apply(T32.clamp_min(0), w.clamp_max(0));
            const auto g32 = causalConvSignGroups(u32, splitKernelBySign(K32), WhichGroups::Both);
            QCOMPARE(g32.positive.scalar_type(), torch::kFloat);
            const int64_t empty = (exactPositive == 0).sum().item<int64_t>() + (exactNegative == 0).sum().item<int64_t>();
            QVERIFY(empty > 0);
            QVERIFY(torch::equal(g32.positive == 0, exactPositive == 0));
            QVERIFY(torch::equal(g32.negative == 0, exactNegative == 0));
            const double scale = exactPositive.abs().max().item<double>();
            QVERIFY((g32.positive.to(torch::kDouble) - exactPositive).abs().max().item<double>() <= 1e-6 * scale);
            QVERIFY((g32.negative.to(torch::kDouble) - exactNegative).abs().max().item<double>() <= 1e-6 * scale);
        }
        const auto p = torch::randn({B, H, L}, torch::kDouble);
        for (const int64_t steps : {L, int64_t(200)}) {
            const auto n = torch::randn({B, H, steps}, torch::kDouble);
            const auto nFull = torch::constant_pad_nd(n, {0, L - steps}, 0);
            const auto expected = up * (applyT(Tp, p) + applyT(Tm, nFull)) + um * (applyT(Tm, p) + applyT(Tp, nFull));
            QVERIFY(close(causalConvSignGroupsAdjoint(u, split, p, n), expected));
        }
    }

    // README's complete config example is a valid config of the family it names.
    void readmeConfigExampleLoads() {
        QFile readme(QStringLiteral(S4SCOPE_SOURCE_DIR "/README.md"));
        QVERIFY(readme.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(readme.readAll());
        const qsizetype at = text.indexOf("```json\n{\"encoder\": \"linear\"");
        QVERIFY(at >= 0);
        const qsizetype begin = text.indexOf('{', at), end = text.indexOf("```", begin);
        const auto c = ModelConfig::fromJson(text.mid(begin, end - begin).toStdString(), "README.md");
        QCOMPARE(QString::fromStdString(c.encoder), QString("linear"));
        QCOMPARE(QString::fromStdString(c.s4.layer), QString("s4block"));
        QCOMPARE(QString::fromStdString(c.s4.mode), QString("dplr"));
        QCOMPARE(c.steps(), int64_t(16000));
        QVERIFY(c.prenorm);
    }

    // The config selects the kernel with the standalone code's names as aliases.
    void configNamesAndAliases() {
        const auto a = ModelConfig::fromJson(R"({"layer": "S4Block", "mode": "nplr", "d_model": 16, "d_state": 8,
                                                 "encoder": "example", "seq_len": 800, "n_layers": 2})");
        QCOMPARE(QString::fromStdString(a.s4.layer), QString("s4block"));
        QCOMPARE(QString::fromStdString(a.s4.mode), QString("dplr"));
        QCOMPARE(QString::fromStdString(a.encoder), QString("linear"));
        QCOMPARE(a.downsample, int64_t(1));
        QCOMPARE(a.steps(), int64_t(800));
        const auto b = ModelConfig::fromJson(R"({"layer": "s4", "kernel": "s4d", "discretization": "bilinear",
                                                 "real_transform": "Softplus", "n_ssm": 32, "rank": 2})");
        QCOMPARE(QString::fromStdString(b.s4.mode), QString("diag"));
        QCOMPARE(QString::fromStdString(b.s4.disc), QString("bilinear"));
        QCOMPARE(QString::fromStdString(b.s4.real_transform), QString("softplus"));
        QCOMPARE(b.s4.n_ssm, int64_t(32));
        // s4block without a mode: FFTConv's default, dplr; the card's config: s4d.py's layer, diag.
        QCOMPARE(QString::fromStdString(ModelConfig::fromJson(R"({"layer": "s4block"})").s4.mode), QString("dplr"));
        const ModelConfig card = ModelConfig::fromJson("{}");
        QCOMPARE(QString::fromStdString(card.s4.layer), QString("s4d"));
        QCOMPARE(QString::fromStdString(card.encoder), QString("conv"));
        // Round trip through the canonical keys.
        const auto round = ModelConfig::fromJson(b.toJson());
        QCOMPARE(QString::fromStdString(round.s4.disc), QString("bilinear"));
        QCOMPARE(QString::fromStdString(round.s4.layer), QString("s4block"));  // (rank is written for dplr only)
        QCOMPARE(round.parameterCount(), b.parameterCount());

        auto errorOf = [](const char* json) {
            try {
                ModelConfig::fromJson(json, "x_config.json");
            } catch (const Error& e) {
                return QString::fromStdString(e.what());
            }
            return QString();
        };
        QVERIFY(errorOf(R"({"mode": "ssd"})").contains("'mode' must be one of"));
        QVERIFY(errorOf(R"({"mode": "dplr"})").contains("use layer s4block"));
        QVERIFY(errorOf(R"({"layer": "s4block", "real_transform": "tanh"})").contains("'real_transform' must be one of"));
        QVERIFY(errorOf(R"({"layer": "s4block", "n_ssm": 3})").contains("'n_ssm' must divide"));
        QVERIFY(errorOf(R"({"encoder": "linear", "downsample": 160})").contains("'downsample' must be 1"));
        QVERIFY(errorOf(R"({"layer": "s4block", "bidirectional": true})").contains("'bidirectional'"));
        QVERIFY(errorOf(R"({"layer": "s4block", "channels": 2})").contains("x_config.json"));
    }
};

QTEST_GUILESS_MAIN(TestS4Kernels)
#include "test_s4_kernels.moc"
