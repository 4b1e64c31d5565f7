#include "formant_warp.h"

#include <algorithm>
#include <cmath>
#include <complex>

#include "lpc.h"
#include "s4scope/audio_io.h"
#include "time_stretch.h"

namespace s4scope::train {
namespace {

constexpr int kOrder = 18;         // two poles per kHz at 16 kHz, plus two for the glottal slope
constexpr double kMaxAngle = 0.96 * M_PI;  // a moved pole stays below Nyquist

// The prediction-error filter with its poles' angles scaled by `factor`.
std::vector<double> warpedFilter(const std::vector<double>& a, double factor) {
    auto roots = polynomialRoots(a);
    for (auto& z : roots) {
        const double angle = std::arg(z);
        if (std::abs(angle) < 1e-9 || std::abs(std::abs(angle) - M_PI) < 1e-9) continue;  // real poles stay
        const double moved = std::copysign(std::min(std::abs(angle) * factor, kMaxAngle), angle);
        z = std::polar(std::min(std::abs(z), 0.999), moved);
    }
    return polynomialFromRoots(roots);
}

}  // namespace

std::vector<float> warpFormants(const std::vector<float>& x, int sampleRate, double factor) {
    if (x.empty() || std::abs(factor - 1) < 1e-9) return x;
    const long N = std::max(64L, long(sampleRate) / 500 * 16);  // 32 ms
    const long hop = N / 2, warm = 64;  // filters start `warm` samples early to settle
    const long n = long(x.size());
    std::vector<double> analysisWindow(static_cast<size_t>(N)), synthesisWindow(static_cast<size_t>(N));
    for (long i = 0; i < N; ++i) {
        analysisWindow[size_t(i)] = 0.54 - 0.46 * std::cos(2 * M_PI * (double(i) + 0.5) / double(N));
        synthesisWindow[size_t(i)] = 0.5 - 0.5 * std::cos(2 * M_PI * double(i) / double(N));  // sums to 1 at N/2
    }
    auto at = [&](long i) { return i >= 0 && i < n ? double(x[size_t(i)]) : 0.0; };
    std::vector<double> out(size_t(n), 0.0);
    std::vector<double> frame(static_cast<size_t>(N)), residual(static_cast<size_t>(N + warm)), y(static_cast<size_t>(N + warm));
    for (long start = -hop; start < n; start += hop) {
        double energy = 0;
        for (long i = 0; i < N; ++i) {
            frame[size_t(i)] = at(start + i) * analysisWindow[size_t(i)];
            energy += at(start + i) * at(start + i);
        }
        if (energy <= 1e-12) continue;
        auto a = lpcCoefficients(frame.data(), size_t(N), kOrder);
        for (size_t k = 1; k < a.size(); ++k) a[k] *= std::pow(0.995, double(k));  // slight bandwidth widening: stable
        const auto b = warpedFilter(a, factor);
        // Residual through A(z), then the warped synthesis filter 1/B(z).
        for (long i = 0; i < N + warm; ++i) {
            const long t = start - warm + i;
            double e = at(t);
            for (int k = 1; k <= kOrder; ++k) e += a[size_t(k)] * at(t - k);
            residual[size_t(i)] = e;
        }
        for (long i = 0; i < N + warm; ++i) {
            double v = residual[size_t(i)];
            for (int k = 1; k <= kOrder && k <= i; ++k) v -= b[size_t(k)] * y[size_t(i - k)];
            y[size_t(i)] = v;
        }
        // Keep the frame's energy: the warped envelope has another gain.
        double warpedEnergy = 0;
        for (long i = 0; i < N; ++i) warpedEnergy += y[size_t(warm + i)] * y[size_t(warm + i)];
        const double gain = warpedEnergy > 1e-20 ? std::sqrt(energy / warpedEnergy) : 0.0;
        for (long i = 0; i < N; ++i) {
            const long t = start + i;
            if (t >= 0 && t < n) out[size_t(t)] += gain * y[size_t(warm + i)] * synthesisWindow[size_t(i)];
        }
    }
    std::vector<float> result(static_cast<size_t>(n));
    for (long i = 0; i < n; ++i) result[size_t(i)] = float(out[size_t(i)]);
    return result;
}

std::vector<float> shiftPitchAndFormants(const std::vector<float>& x, int sampleRate, double pitchRatio,
                                         double formantFactor) {
    if (x.empty()) return x;
    std::vector<float> y = x;
    double formantsNow = 1.0;
    if (std::abs(pitchRatio - 1) > 1e-6) {
        // Longer by the ratio, then played faster by it: the same duration, pitch and formants x ratio.
        y = changeTempo(x, 1.0 / pitchRatio);
        y = resample(y, sampleRate, int(std::lround(sampleRate / pitchRatio)));
        y.resize(x.size(), 0.f);
        formantsNow = pitchRatio;
    }
    return warpFormants(y, sampleRate, formantFactor / formantsNow);
}

}  // namespace s4scope::train
