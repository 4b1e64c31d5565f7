#pragma once
// The short-time Fourier transform as a tight (Parseval) frame, the STFT that time–frequency
// relevance uses (DESIGN.md §7, §8). A periodic Hann window with a hop of window/k (k >= 3) makes
// the squared windows overlap-add to a constant; scaled by that constant and by 1/sqrt(fftSize),
// the analysis A is an isometry and the synthesis is its adjoint and its exact inverse:
//     inverse(forward(x)) = x,   ||forward(x)|| = ||x||,   <forward(x), Y> = <x, inverse(Y)>,
// in the real inner product <X, Y> = Σ_{f,t} w_f Re(X[f,t] conj(Y[f,t])) of the full (two-sided)
// spectra, w_f = 1 for the DC and Nyquist bins and 2 for the others (a bin and its conjugate).
// Linearity per coefficient: inverse(X)[n] = Σ_{f,t} c[n,(f,t)] with
//     c[n,(f,t)] = g[n - s_t] w_f Re(X[f,t] e^{2πi f (n - s_t)/M}) / sqrt(M),
// and contributions(X, v) returns Σ_n c[n,(f,t)] v[n] for every coefficient at the cost of one STFT.
#include <complex>
#include <cstddef>
#include <vector>

#include "signal/frame_grid.h"

namespace s4scope::signal {

struct StftCoefficients {
    int frames = 0;
    int bins = 0;          // fftSize / 2 + 1
    size_t length = 0;     // samples of the signal they came from: inverse() returns that many
    std::vector<std::complex<double>> values;  // frame-major: values[frame * bins + bin]

    std::complex<double>& at(int frame, int bin) { return values[size_t(frame) * size_t(bins) + size_t(bin)]; }
    const std::complex<double>& at(int frame, int bin) const { return values[size_t(frame) * size_t(bins) + size_t(bin)]; }
};

class Stft {
public:
    // Hann window of `windowSamples`, hop `hopSamples`, DFT of `fftSize` points (0: the window's
    // length; more zero-pads each frame). Throws std::invalid_argument, saying why, unless the
    // squared windows overlap-add to a constant (Hann: hop = window / k with k >= 3 dividing window).
    Stft(int windowSamples, int hopSamples, int fftSize = 0);
    // 25 ms window (DESIGN.md §4), hop a quarter of it: 400 / 100 samples at 16 kHz.
    static Stft forSampleRate(int sampleRate);

    int windowSamples() const { return window_; }
    int hopSamples() const { return hop_; }
    int fftSize() const { return fftSize_; }
    int bins() const { return fftSize_ / 2 + 1; }
    // The analysis (and synthesis) window g: Hann scaled so that Σ_t g²(n - s_t) = 1.
    const std::vector<double>& window() const { return g_; }

    // Frames cover every sample with the full overlap-add: frame 0 starts window - hop samples
    // before the signal, the last one starts at or before its last sample.
    FrameGrid grid(size_t length) const;
    double binFrequency(int bin, int sampleRate) const { return double(bin) * sampleRate / fftSize_; }
    // w_f of the inner product: 1 for DC and (even fftSize) Nyquist, 2 for the others.
    double binWeight(int bin) const;

    StftCoefficients forward(const std::vector<double>& x) const;
    StftCoefficients forward(const std::vector<float>& x) const;
    // The synthesis (weighted overlap-add): the adjoint of forward() for any coefficients, and its
    // exact inverse on forward()'s range. Returns X.length samples.
    std::vector<double> inverse(const StftCoefficients& X) const;
    // Σ_n c[n,(f,t)] v[n] for every coefficient of X (layout as X); they sum to Σ_n inverse(X)[n] v[n].
    std::vector<double> contributions(const StftCoefficients& X, const std::vector<double>& v) const;
    // <X, Y> as above.
    double dot(const StftCoefficients& X, const StftCoefficients& Y) const;

private:
    int window_, hop_, fftSize_;
    std::vector<double> g_;
};

}  // namespace s4scope::signal
