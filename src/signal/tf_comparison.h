#pragma once
// Several methods' time–frequency relevance of one clip, ready to draw side by side (the comparison
// grid's TF rows, live mode's overlay): R[f,t] of each method through one STFT of the clip, and the
// colour scales the rows use. DFT-LRP maps are heavy-tailed (a few coefficients hold much of the
// relevance), so a row's scale is a high percentile of |R[f,t]| rather than its maximum: the rest of
// the map stays visible and the few larger values saturate. Computed on worker threads; the views
// only draw the result.
#include <vector>

#include "signal/tf_relevance.h"

namespace s4scope::signal {

// The `quantile` (0 .. 1) of |R[f,t]| over the non-zero coefficients; 1 when there are none (an
// all-zero map still gets a valid colour range).
double robustScale(const TfRelevance& relevance, double quantile = 0.995);

struct TfComparison {
    std::vector<TfRelevance> maps;  // one per relevance handed in, in that order
    std::vector<double> scales;     // robustScale of each map
    double sharedScale = 1;         // the largest of them: one colour range for every row
};

// R[f,t] of each `relevances[i]` (one value per sample of `clip`) through the default STFT for the
// rate, transformed once. Throws std::invalid_argument when a relevance's length is not the clip's.
TfComparison compareInTimeFrequency(const std::vector<float>& clip, const std::vector<std::vector<float>>& relevances,
                                    int sampleRate, const TfRelevanceOptions& options = {});

}  // namespace s4scope::signal
