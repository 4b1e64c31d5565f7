#include "signal/spectrogram.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "signal/frame_grid.h"

namespace s4scope::signal {
namespace {

int nextPowerOfTwo(int n) {
    int p = 1;
    while (p < n) p <<= 1;
    return p;
}

}  // namespace

float Spectrogram::maxDb() const { return db.empty() ? 0.f : *std::max_element(db.begin(), db.end()); }

Spectrogram computeSpectrogram(const std::vector<float>& samples, int sampleRate, const SpectrogramOptions& options) {
    if (sampleRate < 1) throw std::invalid_argument("spectrogram: invalid sample rate " + std::to_string(sampleRate) + " Hz");
    Spectrogram s;
    s.sampleRate = sampleRate;
    s.floorDb = options.floorDb;
    s.windowSamples = std::max(2, int(std::lround(options.windowSeconds * sampleRate)));
    s.hopSamples = std::max(1, int(std::lround(options.hopSeconds * sampleRate)));
    const int fftSize = nextPowerOfTwo(s.windowSamples);
    s.bins = fftSize / 2 + 1;
    s.binHz = double(sampleRate) / fftSize;
    s.frames = samples.empty() ? 0 : int(samples.size() / size_t(s.hopSamples)) + 1;
    s.db.assign(size_t(s.frames) * size_t(s.bins), options.floorDb);

    const std::vector<double> window = hannWindow(s.windowSamples);
    double windowSum = 0;
    for (double w : window) windowSum += w;
    FrameGrid grid;
    grid.window = s.windowSamples;
    grid.hop = s.hopSamples;
    grid.firstStart = -long(s.windowSamples / 2);
    grid.frames = s.frames;
    // 20 log10(|X| / windowSum) as 10 log10 of the power: no square root per cell.
    const double powerScale = 1.0 / (windowSum * windowSum);
    const double floorPower = 1e-24;  // magnitude 1e-12
    analyseFrames(std::vector<double>(samples.begin(), samples.end()), window, grid, fftSize,
                  [&](int frame, const std::complex<double>* spectrum) {
                      float* column = s.db.data() + size_t(frame) * size_t(s.bins);
                      for (int b = 0; b < s.bins; ++b) {
                          const double db = 10.0 * std::log10(std::max(std::norm(spectrum[b]) * powerScale, floorPower));
                          column[b] = std::max(options.floorDb, float(db));
                      }
                  });
    return s;
}

}  // namespace s4scope::signal
