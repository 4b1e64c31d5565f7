#include "views/stft.h"

#include <algorithm>
#include <cmath>
#include <complex>

namespace s4scope::views {
namespace {

constexpr double kPi = 3.14159265358979323846;

// In-place iterative radix-2 FFT; the size is a power of two.
void fft(std::vector<std::complex<double>>& a) {
    const size_t n = a.size();
    for (size_t i = 1, j = 0; i < n; ++i) {
        size_t bit = n >> 1;
        for (; j & bit; bit >>= 1) j ^= bit;
        j ^= bit;
        if (i < j) std::swap(a[i], a[j]);
    }
    for (size_t len = 2; len <= n; len <<= 1) {
        const std::complex<double> wlen = std::polar(1.0, -2 * kPi / double(len));
        for (size_t i = 0; i < n; i += len) {
            std::complex<double> w(1);
            for (size_t k = 0; k < len / 2; ++k) {
                const auto u = a[i + k], v = a[i + k + len / 2] * w;
                a[i + k] = u + v;
                a[i + k + len / 2] = u - v;
                w *= wlen;
            }
        }
    }
}

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
    std::vector<std::complex<double>> buffer(nfft);
    for (int f = 0; f < s.frames; ++f) {
        std::fill(buffer.begin(), buffer.end(), std::complex<double>(0));
        const long start = long(f) * s.hopSamples - half;
        for (int i = 0; i < s.windowSamples; ++i) {
            const long k = start + i;
            if (k >= 0 && k < n) buffer[size_t(i)] = samples[size_t(k)] * window[size_t(i)];
        }
        fft(buffer);
        for (int b = 0; b < s.bins; ++b) {
            const double magnitude = std::abs(buffer[size_t(b)]) / windowSum;
            const double db = 20.0 * std::log10(std::max(magnitude, 1e-12));
            s.db[size_t(f) * s.bins + b] = std::max(options.floorDb, float(db));
        }
    }
    return s;
}

}  // namespace s4scope::views
