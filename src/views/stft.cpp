#include "views/stft.h"

#include <algorithm>
#include <cmath>

namespace s4scope::views {
namespace {

constexpr double kPi = 3.14159265358979323846;

// In-place iterative radix-2 FFT of a power-of-two size on separate real and imaginary arrays, with
// its bit-reversal permutation and twiddle factors computed once (a spectrogram runs one FFT per
// frame, 101 per second of audio: live mode, 20 times a second).
class Fft {
public:
    explicit Fft(size_t n) : n_(n), reversed_(n), cos_(n / 2), sin_(n / 2) {
        for (size_t i = 1, j = 0; i < n; ++i) {
            size_t bit = n >> 1;
            for (; j & bit; bit >>= 1) j ^= bit;
            j ^= bit;
            reversed_[i] = j;
        }
        for (size_t k = 0; k < n / 2; ++k) {
            cos_[k] = std::cos(2 * kPi * double(k) / double(n));
            sin_[k] = -std::sin(2 * kPi * double(k) / double(n));
        }
    }

    void operator()(double* re, double* im) const {
        for (size_t i = 1; i < n_; ++i) {
            const size_t j = reversed_[i];
            if (i < j) {
                std::swap(re[i], re[j]);
                std::swap(im[i], im[j]);
            }
        }
        for (size_t len = 2; len <= n_; len <<= 1) {
            const size_t half = len / 2, stride = n_ / len;
            for (size_t i = 0; i < n_; i += len) {
                for (size_t k = 0; k < half; ++k) {
                    const double wr = cos_[k * stride], wi = sin_[k * stride];
                    const size_t p = i + k, q = p + half;
                    const double vr = re[q] * wr - im[q] * wi, vi = re[q] * wi + im[q] * wr;
                    re[q] = re[p] - vr;
                    im[q] = im[p] - vi;
                    re[p] += vr;
                    im[p] += vi;
                }
            }
        }
    }

private:
    size_t n_;
    std::vector<size_t> reversed_;
    std::vector<double> cos_, sin_;
};

size_t nextPowerOfTwo(size_t n) {
    size_t p = 1;
    while (p < n) p <<= 1;
    return p;
}

}  // namespace

float Spectrogram::maxDb() const {
    return db.empty() ? 0.f : *std::max_element(db.begin(), db.end());
}

Spectrogram computeSpectrogram(const std::vector<float>& samples, int sampleRate, const StftOptions& options) {
    Spectrogram s;
    s.sampleRate = sampleRate;
    s.windowSamples = std::max(2, int(std::lround(options.windowSeconds * sampleRate)));
    s.hopSamples = std::max(1, int(std::lround(options.hopSeconds * sampleRate)));
    const size_t nfft = nextPowerOfTwo(size_t(s.windowSamples));
    s.bins = int(nfft / 2 + 1);
    s.binHz = double(sampleRate) / double(nfft);
    s.frames = samples.empty() ? 0 : int(samples.size() / size_t(s.hopSamples)) + 1;
    s.db.assign(size_t(s.frames) * s.bins, options.floorDb);

    std::vector<double> window(size_t(s.windowSamples));
    double windowSum = 0;
    for (int i = 0; i < s.windowSamples; ++i) {  // periodic Hann
        window[i] = 0.5 - 0.5 * std::cos(2 * kPi * i / s.windowSamples);
        windowSum += window[i];
    }
    const long half = s.windowSamples / 2;
    const long n = long(samples.size());
    std::vector<double> re(nfft), im(nfft);
    const Fft fft(nfft);
    // 20 log10(|X| / windowSum) as 10 log10 of the power: no square root per cell.
    const double powerScale = 1.0 / (windowSum * windowSum);
    const double floorPower = 1e-24;  // magnitude 1e-12
    for (int f = 0; f < s.frames; ++f) {
        std::fill(re.begin(), re.end(), 0.0);
        std::fill(im.begin(), im.end(), 0.0);
        const long start = long(f) * s.hopSamples - half;
        for (int i = 0; i < s.windowSamples; ++i) {
            const long k = start + i;
            if (k >= 0 && k < n) re[size_t(i)] = samples[size_t(k)] * window[size_t(i)];
        }
        fft(re.data(), im.data());
        for (int b = 0; b < s.bins; ++b) {
            const double power = (re[size_t(b)] * re[size_t(b)] + im[size_t(b)] * im[size_t(b)]) * powerScale;
            const double db = 10.0 * std::log10(std::max(power, floorPower));
            s.db[size_t(f) * s.bins + b] = std::max(options.floorDb, float(db));
        }
    }
    return s;
}

}  // namespace s4scope::views
