#pragma once
// An explanation in time and frequency (DESIGN.md §8): R[f,t] of a method's sample relevance, and
// the three listenable signals ("for", "against", "rest") with the model's target probability on
// each. Computed on a worker thread (or the CLI's own); the views only draw the result.
#include <cstdint>
#include <vector>

#include "s4scope/attribution.h"
#include "s4scope/model.h"
#include "signal/listening.h"
#include "signal/stft.h"
#include "signal/tf_relevance.h"

namespace s4scope::tf {

struct MaskedClassification {
    signal::MaskedAudio audio;
    int64_t target = 0;
    float targetProbability = 0;    // softmax of the model on x', at the target
    Prediction prediction;          // the model's view of x'
};

// x' = ISTFT(M ⊙ X) for the mask `kind` at `topPercent`, then the model on x'. Throws Error when the
// clip is not the model's length.
MaskedClassification classifyMasked(const Model& model, const signal::Stft& stft, const signal::StftCoefficients& X,
                                    const signal::TfRelevance& relevance, int64_t target, signal::ListenMask kind,
                                    double topPercent);

struct TfExplanation {
    signal::TfRelevance relevance;
    double topPercent = 100;
    float originalProbability = 0;  // the target's probability on the clip itself
    // For, Against, Rest in that order (listeningKinds()).
    std::vector<MaskedClassification> listening;

    const MaskedClassification& listened(signal::ListenMask kind) const;
};

// The masks the listening buttons offer, in their order.
const std::vector<signal::ListenMask>& listeningKinds();

// R[f,t] of `explanation` (computed on `clip`) through the default STFT at the model's rate, and
// the listening signals at `topPercent`. With `listen` false only the relevance (live mode).
TfExplanation explainInTimeFrequency(const Model& model, const std::vector<float>& clip, const Explanation& explanation,
                                     double topPercent = 100, bool listen = true,
                                     const signal::TfRelevanceOptions& options = {});

}  // namespace s4scope::tf
