#include "signal/tf_comparison.h"

#include <algorithm>
#include <cmath>

namespace s4scope::signal {

double robustScale(const TfRelevance& relevance, double quantile) {
    std::vector<double> magnitudes;
    magnitudes.reserve(relevance.values.size());
    for (double v : relevance.values)
        if (v != 0 && std::isfinite(v)) magnitudes.push_back(std::abs(v));
    if (magnitudes.empty()) return 1;
    const double q = std::clamp(quantile, 0.0, 1.0);
    const size_t k = std::min(magnitudes.size() - 1, size_t(q * double(magnitudes.size())));
    std::nth_element(magnitudes.begin(), magnitudes.begin() + long(k), magnitudes.end());
    return magnitudes[k] > 0 ? magnitudes[k] : 1;
}

TfComparison compareInTimeFrequency(const std::vector<float>& clip, const std::vector<std::vector<float>>& relevances,
                                    int sampleRate, const TfRelevanceOptions& options) {
    TfComparison out;
    if (relevances.empty()) return out;
    const Stft stft = Stft::forSampleRate(sampleRate);
    const StftCoefficients X = stft.forward(clip);
    double shared = 0;
    for (const std::vector<float>& r : relevances) {
        out.maps.push_back(timeFrequencyRelevance(stft, X, clip, r, sampleRate, options));
        out.scales.push_back(robustScale(out.maps.back()));
        shared = std::max(shared, out.scales.back());
    }
    out.sharedScale = shared > 0 ? shared : 1;
    return out;
}

}  // namespace s4scope::signal
