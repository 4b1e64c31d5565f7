#pragma once
// Time–frequency relevance (DESIGN.md §8, DFT-LRP of Vielhaben et al. 2024). The tight-frame STFT is
// a virtual layer in front of the model: x = ISTFT(X) is linear, so sample n is the sum of the real
// contributions c[n,(f,t)] of the coefficients (a bin and its conjugate together). Any method's
// sample relevance R[n] passes to the coefficients with the ε-rule,
//     R[f,t] = Σₙ c[n,(f,t)] · R[n] / stab(x[n]),   stab(x) = x + ε·sign(x), sign(0) = +1,
// so Σ_{f,t} R[f,t] = Σₙ R[n] · x[n] / stab(x[n]): everything except what the stabiliser absorbs,
// which is all of R[n] where x[n] = 0 (no coefficient builds a zero sample) and a share ε/(|x|+ε)
// elsewhere. Both are reported, so a view or a note can say how much relevance the map shows.
#include <cstddef>
#include <vector>

#include "signal/stft.h"

namespace s4scope::signal {

struct TfRelevanceOptions {
    // The stabiliser; the engine's floor for every ε (DESIGN.md §3). Audio samples are O(1e-1), so
    // it absorbs a share of about ε/|x| only at samples within a few ε of zero.
    double epsilon = 1e-9;
};

struct TfRelevance {
    int frames = 0;
    int bins = 0;            // fftSize / 2 + 1, DC .. Nyquist
    int sampleRate = 0;
    int hopSamples = 0;
    int windowSamples = 0;
    int fftSize = 0;
    long firstStart = 0;     // sample index where frame 0 starts (negative: it starts in the padding)
    std::vector<double> values;  // frames * bins, frame-major: values[frame * bins + bin]

    double sampleTotal = 0;  // Σₙ R[n]
    double tfTotal = 0;      // Σ_{f,t} R[f,t]
    double lostAtZero = 0;   // Σ of R[n] over the samples with x[n] = 0 (part of sampleTotal - tfTotal)

    double at(int frame, int bin) const { return values[size_t(frame) * size_t(bins) + size_t(bin)]; }
    // Centre of a frame in seconds (frame 0's centre lies before the clip's start).
    double frameTime(int frame) const;
    double binFrequency(int bin) const { return double(bin) * sampleRate / fftSize; }
    std::vector<double> frameTimes() const;
    std::vector<double> binFrequencies() const;

    // ΣR[f,t] / ΣR[n], and the share of ΣR[n] at zero samples; NaN when ΣR[n] = 0 (no share exists).
    double conservationShare() const;
    double lostShareAtZero() const;

    // Σ over frames per bin, and Σ over bins per frame: each sums to tfTotal.
    std::vector<double> frequencyProfile() const;
    std::vector<double> timeProfile() const;
};

// R[f,t] for `clip`'s coefficients X = stft.forward(clip) (passed in so callers that also mask or
// resynthesise transform once). Throws std::invalid_argument when the lengths disagree.
TfRelevance timeFrequencyRelevance(const Stft& stft, const StftCoefficients& X, const std::vector<float>& clip,
                                   const std::vector<float>& relevance, int sampleRate, const TfRelevanceOptions& options = {});
// The same through the default STFT for the rate (Stft::forSampleRate: 25 ms Hann, a quarter hop).
TfRelevance timeFrequencyRelevance(const std::vector<float>& clip, const std::vector<float>& relevance, int sampleRate,
                                   const TfRelevanceOptions& options = {});

}  // namespace s4scope::signal
