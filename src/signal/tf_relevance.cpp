#include "signal/tf_relevance.h"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace s4scope::signal {

double TfRelevance::frameTime(int frame) const {
    return (double(firstStart) + double(frame) * hopSamples + 0.5 * windowSamples) / sampleRate;
}

std::vector<double> TfRelevance::frameTimes() const {
    std::vector<double> times(static_cast<size_t>(frames));
    for (int t = 0; t < frames; ++t) times[size_t(t)] = frameTime(t);
    return times;
}

std::vector<double> TfRelevance::binFrequencies() const {
    std::vector<double> hz(static_cast<size_t>(bins));
    for (int f = 0; f < bins; ++f) hz[size_t(f)] = binFrequency(f);
    return hz;
}

double TfRelevance::conservationShare() const {
    return sampleTotal == 0 ? std::numeric_limits<double>::quiet_NaN() : tfTotal / sampleTotal;
}

double TfRelevance::lostShareAtZero() const {
    return sampleTotal == 0 ? std::numeric_limits<double>::quiet_NaN() : lostAtZero / sampleTotal;
}

std::vector<double> TfRelevance::frequencyProfile() const {
    std::vector<double> profile(size_t(bins), 0.0);
    for (int t = 0; t < frames; ++t)
        for (int f = 0; f < bins; ++f) profile[size_t(f)] += at(t, f);
    return profile;
}

std::vector<double> TfRelevance::timeProfile() const {
    std::vector<double> profile(size_t(frames), 0.0);
    for (int t = 0; t < frames; ++t)
        for (int f = 0; f < bins; ++f) profile[size_t(t)] += at(t, f);
    return profile;
}

TfRelevance timeFrequencyRelevance(const Stft& stft, const StftCoefficients& X, const std::vector<float>& clip,
                                   const std::vector<float>& relevance, int sampleRate, const TfRelevanceOptions& options) {
    if (relevance.size() != clip.size() || X.length != clip.size())
        throw std::invalid_argument("time-frequency relevance: " + std::to_string(relevance.size()) + " relevance values for a clip of " +
                                    std::to_string(clip.size()) + " samples (" + std::to_string(X.length) + " in its STFT)");
    if (!(options.epsilon > 0)) throw std::invalid_argument("time-frequency relevance: the stabiliser epsilon must be positive");
    if (sampleRate < 1) throw std::invalid_argument("time-frequency relevance: sample rate " + std::to_string(sampleRate) + " Hz");
    TfRelevance out;
    out.frames = X.frames;
    out.bins = X.bins;
    out.sampleRate = sampleRate;
    out.hopSamples = stft.hopSamples();
    out.windowSamples = stft.windowSamples();
    out.fftSize = stft.fftSize();
    out.firstStart = stft.grid(clip.size()).firstStart;

    // The ε-rule's per-sample factor R[n] / stab(x[n]); Σ_{f,t} c[n,(f,t)] = x[n] then hands sample n
    // the relevance R[n] · x[n] / stab(x[n]).
    std::vector<double> perUnit(clip.size());
    for (size_t n = 0; n < clip.size(); ++n) {
        const double x = clip[n], r = relevance[n];
        perUnit[n] = r / (x + (x >= 0 ? options.epsilon : -options.epsilon));
        out.sampleTotal += r;
        if (x == 0) out.lostAtZero += r;
    }
    out.values = stft.contributions(X, perUnit);
    for (double v : out.values) out.tfTotal += v;
    return out;
}

TfRelevance timeFrequencyRelevance(const std::vector<float>& clip, const std::vector<float>& relevance, int sampleRate,
                                   const TfRelevanceOptions& options) {
    const Stft stft = Stft::forSampleRate(sampleRate);
    return timeFrequencyRelevance(stft, stft.forward(clip), clip, relevance, sampleRate, options);
}

}  // namespace s4scope::signal
