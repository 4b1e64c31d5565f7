#include "signal/stft.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "signal/real_dft.h"

namespace s4scope::signal {

Stft::Stft(int windowSamples, int hopSamples, int fftSize)
    : window_(windowSamples), hop_(hopSamples), fftSize_(fftSize > 0 ? fftSize : windowSamples) {
    const std::string what = "STFT with a window of " + std::to_string(windowSamples) + " samples and a hop of " +
                             std::to_string(hopSamples) + ": ";
    if (window_ < 2) throw std::invalid_argument(what + "the window needs at least 2 samples");
    if (hop_ < 1 || hop_ > window_) throw std::invalid_argument(what + "the hop must be 1 .. the window's length");
    if (fftSize_ < window_) throw std::invalid_argument(what + "a DFT of " + std::to_string(fftSize_) + " points is shorter than the window");
    // Overlap-add of the squared window, one value per phase of the hop: a tight frame needs it constant.
    const std::vector<double> hann = hannWindow(window_);
    std::vector<double> overlap(size_t(hop_), 0.0);
    for (int m = 0; m < window_; ++m) overlap[size_t(m % hop_)] += hann[size_t(m)] * hann[size_t(m)];
    const auto [lo, hi] = std::minmax_element(overlap.begin(), overlap.end());
    if (*hi - *lo > 1e-12 * *hi)
        throw std::invalid_argument(what + "the squared Hann windows do not overlap-add to a constant (no tight frame); use a hop of window / k with k >= 3 dividing the window");
    const double scale = 1.0 / std::sqrt(*hi);
    g_.resize(hann.size());
    for (size_t m = 0; m < hann.size(); ++m) g_[m] = hann[m] * scale;
}

Stft Stft::forSampleRate(int sampleRate) {
    if (sampleRate < 160) throw std::invalid_argument("STFT: sample rate " + std::to_string(sampleRate) + " Hz is too low");
    const int window = 4 * int(std::lround(0.025 * sampleRate / 4));  // a multiple of the hop
    return Stft(window, window / 4);
}

FrameGrid Stft::grid(size_t length) const {
    FrameGrid grid;
    grid.window = window_;
    grid.hop = hop_;
    grid.firstStart = -long(window_ - hop_);
    grid.frames = length == 0 ? 0 : int((long(length) - 1 + (window_ - hop_)) / hop_) + 1;
    return grid;
}

double Stft::binWeight(int bin) const { return bin == 0 || 2 * bin == fftSize_ ? 1.0 : 2.0; }

StftCoefficients Stft::forward(const std::vector<double>& x) const {
    StftCoefficients X;
    const FrameGrid frames = grid(x.size());
    X.frames = frames.frames;
    X.bins = bins();
    X.length = x.size();
    X.values.resize(size_t(X.frames) * size_t(X.bins));
    const double norm = 1.0 / std::sqrt(double(fftSize_));
    analyseFrames(x, g_, frames, fftSize_, [&](int t, const std::complex<double>* spectrum) {
        for (int f = 0; f < X.bins; ++f) X.at(t, f) = spectrum[f] * norm;
    });
    return X;
}

StftCoefficients Stft::forward(const std::vector<float>& x) const { return forward(std::vector<double>(x.begin(), x.end())); }

std::vector<double> Stft::inverse(const StftCoefficients& X) const {
    if (X.bins != bins() || size_t(X.frames) * size_t(X.bins) != X.values.size())
        throw std::invalid_argument("inverse STFT: coefficients of another shape (" + std::to_string(X.bins) + " bins, " +
                                    std::to_string(bins()) + " expected)");
    std::vector<double> x(X.length, 0.0);
    const FrameGrid frames = grid(X.length);
    if (frames.frames != X.frames)
        throw std::invalid_argument("inverse STFT: " + std::to_string(X.frames) + " frames do not belong to a signal of " +
                                    std::to_string(X.length) + " samples");
    RealDft dft(fftSize_);
    const double norm = 1.0 / std::sqrt(double(fftSize_));
    const long n = long(X.length);
    for (int t = 0; t < X.frames; ++t) {
        std::copy(X.values.begin() + long(t) * X.bins, X.values.begin() + long(t + 1) * X.bins, dft.spectrum());
        dft.inverse();
        const double* frame = dft.samples();
        const long start = frames.start(t);
        const long first = std::max(0L, -start), last = std::min(long(window_), n - start);
        for (long m = first; m < last; ++m) x[size_t(start + m)] += g_[size_t(m)] * norm * frame[m];
    }
    return x;
}

// Σ_n c[n,(f,t)] v[n] = w_f Re(X[f,t] conj(V[f,t])) with V = forward(v): the terms of <X, forward(v)>,
// which equals <inverse(X), v> because the synthesis is the analysis' adjoint.
std::vector<double> Stft::contributions(const StftCoefficients& X, const std::vector<double>& v) const {
    if (v.size() != X.length)
        throw std::invalid_argument("STFT contributions: " + std::to_string(v.size()) + " weights for a signal of " +
                                    std::to_string(X.length) + " samples");
    const StftCoefficients V = forward(v);
    std::vector<double> out(X.values.size());
    for (int t = 0; t < X.frames; ++t)
        for (int f = 0; f < X.bins; ++f)
            out[size_t(t) * size_t(X.bins) + size_t(f)] = binWeight(f) * std::real(X.at(t, f) * std::conj(V.at(t, f)));
    return out;
}

double Stft::dot(const StftCoefficients& X, const StftCoefficients& Y) const {
    if (X.frames != Y.frames || X.bins != Y.bins) throw std::invalid_argument("STFT inner product of coefficients of different shapes");
    double sum = 0;
    for (int t = 0; t < X.frames; ++t)
        for (int f = 0; f < X.bins; ++f) sum += binWeight(f) * std::real(X.at(t, f) * std::conj(Y.at(t, f)));
    return sum;
}

}  // namespace s4scope::signal
