#include "model/ssm_kernels.h"

#include <cmath>
#include <complex>
#include <vector>

#include <ATen/Parallel.h>

namespace s4scope {
namespace {

using cd = std::complex<double>;

// Solves (I + a S) x = b for a small R x R system S (row-major), by Gaussian elimination with
// partial pivoting. R is the low-rank part's rank (1 or 2 in practice).
void solveShifted(int64_t R, const cd* S, cd a, const cd* b, cd* x, std::vector<cd>& work) {
    work.assign(R * (R + 1), cd(0));
    for (int64_t i = 0; i < R; ++i) {
        for (int64_t j = 0; j < R; ++j) work[i * (R + 1) + j] = (i == j ? cd(1) : cd(0)) + a * S[i * R + j];
        work[i * (R + 1) + R] = b[i];
    }
    for (int64_t c = 0; c < R; ++c) {
        int64_t pivot = c;
        for (int64_t i = c + 1; i < R; ++i)
            if (std::abs(work[i * (R + 1) + c]) > std::abs(work[pivot * (R + 1) + c])) pivot = i;
        if (pivot != c)
            for (int64_t j = 0; j <= R; ++j) std::swap(work[c * (R + 1) + j], work[pivot * (R + 1) + j]);
        for (int64_t i = c + 1; i < R; ++i) {
            const cd f = work[i * (R + 1) + c] / work[c * (R + 1) + c];
            for (int64_t j = c; j <= R; ++j) work[i * (R + 1) + j] -= f * work[c * (R + 1) + j];
        }
    }
    for (int64_t i = R - 1; i >= 0; --i) {
        cd s = work[i * (R + 1) + R];
        for (int64_t j = i + 1; j < R; ++j) s -= work[i * (R + 1) + j] * x[j];
        x[i] = s / work[i * (R + 1) + i];
    }
}

// 2 / z by its conjugate: std::complex's division calls libgcc's __divdc3 (inf/nan-safe scaling),
// which was most of the Cauchy kernel's time; the poles here are finite and away from zero.
inline cd twoOver(cd z) {
    const double m = 2.0 / (z.real() * z.real() + z.imag() * z.imag());
    return {z.real() * m, -z.imag() * m};
}

torch::Tensor complexDouble(const torch::Tensor& t) { return t.to(torch::kComplexDouble).resolve_conj().contiguous(); }

}  // namespace

torch::Tensor applyPositiveTransform(const torch::Tensor& p, PositiveTransform t) {
    switch (t) {
        case PositiveTransform::None: return p;
        case PositiveTransform::Exp: return torch::exp(p);
        case PositiveTransform::Relu: return torch::relu(p) + 1e-4;  // as the reference: no zero decay
        case PositiveTransform::Sigmoid: return torch::sigmoid(p);
        case PositiveTransform::Softplus: return torch::softplus(p);
    }
    return p;
}

torch::Tensor inversePositiveTransform(const torch::Tensor& value, PositiveTransform t) {
    const auto v = value.clamp_min(1e-4);
    switch (t) {
        case PositiveTransform::None:
        case PositiveTransform::Relu: return v;
        case PositiveTransform::Exp: return torch::log(v);
        case PositiveTransform::Sigmoid: return torch::logit(v);
        case PositiveTransform::Softplus: return torch::log(torch::expm1(v));
    }
    return v;
}

torch::Tensor diagonalKernel(const torch::Tensor& dt, const torch::Tensor& A, const torch::Tensor& B,
                             const torch::Tensor& C, Discretisation disc, int64_t L) {
    TORCH_CHECK(A.dim() == 2 && C.sizes() == A.sizes() && (!B.defined() || B.sizes() == A.sizes()),
                "diagonalKernel: A, B and C (H,N2) expected");
    TORCH_CHECK(dt.dim() == 2 && dt.size(0) == A.size(0), "diagonalKernel: dt (H,1) or (H,N2) expected");
    const auto dtA = A * dt;
    const auto CB = B.defined() ? C * B : C;
    torch::Tensor Ct, logPower;
    if (disc == Discretisation::Zoh) {
        Ct = CB * (torch::exp(dtA) - 1.0) / A;
        logPower = dtA;
    } else {
        const auto denominator = 1.0 - dtA / 2.0;
        Ct = CB * dt / denominator;
        logPower = torch::log((1.0 + dtA / 2.0) / denominator);
    }
    // dA^l = dA^(S j) dA^i for l = S j + i, S ~ sqrt(L): two small tables of exponentials and one
    // batched complex matrix product per channel, instead of N2 x L complex exponentials per
    // channel (those took 5.8 s at H 128, N2 32, L 16000 on two cores).
    const int64_t H = A.size(0);
    const int64_t S = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(std::sqrt(double(L)))));
    const int64_t J = (L + S - 1) / S;
    const auto inner = torch::exp(logPower.unsqueeze(-1) * torch::arange(S, dt.options()));  // (H,N2,S)
    const auto outer = torch::exp(logPower.unsqueeze(-1) * (torch::arange(J, dt.options()) * double(S)));  // (H,N2,J)
    const auto weighted = (Ct.unsqueeze(-1) * outer).transpose(1, 2);  // (H,J,N2)
    return 2.0 * torch::real(torch::matmul(weighted, inner)).reshape({H, J * S}).narrow(1, 0, L);
}

torch::Tensor dplrDiscreteStateMatrix(const torch::Tensor& dt, const torch::Tensor& Lambda, const torch::Tensor& P) {
    TORCH_CHECK(P.dim() == 3 && P.size(1) == Lambda.size(0) && P.size(2) == Lambda.size(1),
                "dplrDiscreteStateMatrix: Lambda (H,N2), P (R,H,N2) expected");
    const auto lambda = complexDouble(Lambda);
    const auto p = complexDouble(P);
    const auto fullLambda = torch::cat({lambda, lambda.conj()}, -1).resolve_conj();  // (H,2N2)
    const auto fullP = torch::cat({p, p.conj()}, -1).resolve_conj();                 // (R,H,2N2)
    const auto A = torch::diag_embed(fullLambda) -
                   torch::einsum("rhn,rhm->hnm", {fullP, fullP.conj().resolve_conj()});  // (H,2N2,2N2)
    const auto halfStep = (dt.to(torch::kDouble).reshape({-1, 1, 1}) / 2.0).to(torch::kComplexDouble);
    const auto I = torch::eye(A.size(-1), A.options()).expand_as(A);
    return torch::linalg_solve(I - halfStep * A, I + halfStep * A, /*left=*/true);
}

torch::Tensor dplrTruncatedC(const torch::Tensor& C, const torch::Tensor& dA, int64_t steps, int sign) {
    const auto c = complexDouble(C);
    const int64_t N2 = c.size(-1);
    const auto fullC = torch::cat({c, c.conj()}, -1).resolve_conj();  // (H,2N2)
    const auto power = torch::linalg_matrix_power(dA, steps);       // (H,2N2,2N2)
    const auto product = torch::einsum("hn,hnm->hm", {fullC, power});  // the row vector C dA^steps
    return (fullC + double(sign) * product).narrow(-1, 0, N2).contiguous();
}

torch::Tensor dplrCauchyKernel(const torch::Tensor& dt, const torch::Tensor& Lambda, const torch::Tensor& B,
                               const torch::Tensor& Ct, const torch::Tensor& P, int64_t nodes) {
    TORCH_CHECK(nodes > 0, "dplrCauchyKernel: at least one node");
    const auto lambda = complexDouble(Lambda), b = complexDouble(B), c = complexDouble(Ct), p = complexDouble(P);
    const auto step = dt.to(torch::kDouble).reshape({-1}).contiguous();
    const int64_t H = lambda.size(0), N2 = lambda.size(1), R = p.size(0), F = nodes / 2 + 1;
    auto spectrum = torch::empty({H, F}, lambda.options());
    const cd* lp = reinterpret_cast<const cd*>(lambda.data_ptr());
    const cd* bp = reinterpret_cast<const cd*>(b.data_ptr());
    const cd* cp = reinterpret_cast<const cd*>(c.data_ptr());
    const cd* pp = reinterpret_cast<const cd*>(p.data_ptr());
    const double* sp = step.data_ptr<double>();
    cd* out = reinterpret_cast<cd*>(spectrum.data_ptr());
    at::parallel_for(0, H, 1, [&](int64_t begin, int64_t end) {
        // Per channel, the numerators of the four Cauchy sums (dt folded in) and the poles dt Lambda.
        std::vector<cd> w(N2), vCB(N2), vCP(R * N2), vQB(R * N2), vQP(R * R * N2);
        std::vector<cd> sCP(R), sQB(R), sQP(R * R), x(R), work;
        for (int64_t h = begin; h < end; ++h) {
            const double d = sp[h];
            for (int64_t n = 0; n < N2; ++n) {
                const cd lam = lp[h * N2 + n], bn = bp[h * N2 + n], cn = cp[h * N2 + n];
                w[n] = d * lam;
                vCB[n] = d * cn * bn;
                for (int64_t r = 0; r < R; ++r) {
                    const cd pr = pp[(r * H + h) * N2 + n];
                    vCP[r * N2 + n] = d * cn * pr;
                    vQB[r * N2 + n] = d * std::conj(pr) * bn;
                    for (int64_t s = 0; s < R; ++s) vQP[(r * R + s) * N2 + n] = d * std::conj(pr) * pp[(s * H + h) * N2 + n];
                }
            }
            for (int64_t k = 0; k < F; ++k) {
                const double angle = -2.0 * M_PI * double(k) / double(nodes);
                const cd omega(std::cos(angle), std::sin(angle));
                // 1/(z - w) with z = 2(1-omega)/(1+omega) is (1+omega)/2 * 2/(2(1-omega) - w(1+omega));
                // the sums below carry the second factor, so omega = -1 needs no special case.
                const cd a = 2.0 * (1.0 - omega), q = 1.0 + omega;
                cd sCB = 0;
                std::fill(sCP.begin(), sCP.end(), cd(0));
                std::fill(sQB.begin(), sQB.end(), cd(0));
                std::fill(sQP.begin(), sQP.end(), cd(0));
                for (int64_t n = 0; n < N2; ++n) {
                    // Each mode and its conjugate partner.
                    const cd c1 = twoOver(a - w[n] * q), c2 = twoOver(a - std::conj(w[n]) * q);
                    sCB += vCB[n] * c1 + std::conj(vCB[n]) * c2;
                    for (int64_t r = 0; r < R; ++r) {
                        sCP[r] += vCP[r * N2 + n] * c1 + std::conj(vCP[r * N2 + n]) * c2;
                        sQB[r] += vQB[r * N2 + n] * c1 + std::conj(vQB[r * N2 + n]) * c2;
                        for (int64_t s = 0; s < R; ++s)
                            sQP[r * R + s] += vQP[(r * R + s) * N2 + n] * c1 + std::conj(vQP[(r * R + s) * N2 + n]) * c2;
                    }
                }
                // Woodbury: C (R^-1 + P Q^*)^-1 B = C R B - C R P (I + Q^* R P)^-1 Q^* R B, with every
                // resolvent sum R = (1+omega)/2 times the s above; the bilinear factor 2/(1+omega)
                // cancels the first of them.
                const cd half = q / 2.0;
                cd correction = 0;
                if (R == 1) {
                    correction = sCP[0] * sQB[0] / (1.0 + half * sQP[0]);
                } else {
                    solveShifted(R, sQP.data(), half, sQB.data(), x.data(), work);
                    for (int64_t r = 0; r < R; ++r) correction += sCP[r] * x[r];
                }
                out[h * F + k] = sCB - half * correction;
            }
        }
    });
    return torch::fft::irfft(spectrum, nodes, -1);
}

}  // namespace s4scope
