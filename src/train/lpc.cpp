#include "lpc.h"

#include <algorithm>
#include <cmath>

namespace s4scope::train {

std::vector<double> lpcCoefficients(const double* x, size_t n, int order) {
    std::vector<double> r(size_t(order) + 1, 0.0);
    for (int k = 0; k <= order; ++k)
        for (size_t i = size_t(k); i < n; ++i) r[size_t(k)] += x[i] * x[i - size_t(k)];
    std::vector<double> a(size_t(order) + 1, 0.0);
    a[0] = 1;
    if (r[0] <= 1e-12) return a;
    r[0] *= 1.0 + 1e-9;  // white-noise correction: keeps the recursion stable on near-singular frames
    double error = r[0];
    std::vector<double> previous(a);
    for (int i = 1; i <= order; ++i) {
        double acc = r[size_t(i)];
        for (int j = 1; j < i; ++j) acc += previous[size_t(j)] * r[size_t(i - j)];
        const double k = -acc / error;
        a[size_t(i)] = k;
        for (int j = 1; j < i; ++j) a[size_t(j)] = previous[size_t(j)] + k * previous[size_t(i - j)];
        error *= 1 - k * k;
        if (error <= 0) break;
        previous = a;
    }
    return a;
}

std::vector<std::complex<double>> polynomialRoots(const std::vector<double>& a) {
    using C = std::complex<double>;
    const size_t p = a.size() - 1;
    std::vector<C> z(p);
    if (p == 0) return z;
    // Durand-Kerner (Weierstrass) iteration from points spread on a circle; degree <= ~30 here.
    double radius = 0;
    for (size_t k = 1; k <= p; ++k) radius = std::max(radius, std::pow(std::abs(a[k]), 1.0 / double(k)));
    radius = std::max(radius, 0.5);
    for (size_t k = 0; k < p; ++k) z[k] = std::polar(radius, 2 * M_PI * (double(k) + 0.25) / double(p));
    auto eval = [&](C x) {
        C v = 1;
        for (size_t k = 1; k <= p; ++k) v = v * x + a[k];
        return v;
    };
    for (int iteration = 0; iteration < 500; ++iteration) {
        double change = 0;
        for (size_t i = 0; i < p; ++i) {
            C denominator = 1;
            for (size_t j = 0; j < p; ++j)
                if (j != i) denominator *= z[i] - z[j];
            if (std::abs(denominator) < 1e-300) denominator = 1e-300;
            const C step = eval(z[i]) / denominator;
            z[i] -= step;
            change = std::max(change, std::abs(step));
        }
        if (change < 1e-12) break;
    }
    return z;
}

std::vector<double> polynomialFromRoots(const std::vector<std::complex<double>>& roots) {
    std::vector<std::complex<double>> c(roots.size() + 1, 0.0);
    c[0] = 1;
    for (size_t i = 0; i < roots.size(); ++i)
        for (size_t k = i + 1; k > 0; --k) c[k] -= roots[i] * c[k - 1];
    std::vector<double> a(c.size());
    for (size_t k = 0; k < c.size(); ++k) a[k] = c[k].real();
    return a;
}

std::vector<double> formantFrequencies(const std::vector<double>& a, int sampleRate, double maxBandwidthHz) {
    std::vector<double> out;
    for (const auto& z : polynomialRoots(a)) {
        if (z.imag() <= 1e-9) continue;
        const double bandwidth = -std::log(std::abs(z)) * sampleRate / M_PI;
        if (bandwidth < maxBandwidthHz) out.push_back(std::arg(z) * sampleRate / (2 * M_PI));
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace s4scope::train
