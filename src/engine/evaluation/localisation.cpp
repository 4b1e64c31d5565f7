// Localisation against a known word interval (DESIGN.md §10): relevance mass accuracy (Arras et
// al. 2022) and the pointing game (Zhang et al. 2018), on frames for the latter so a single
// sample's carrier peak does not decide it.
#include <algorithm>

#include "s4scope/evaluation.h"

namespace s4scope::evaluation {

Localisation localise(const std::vector<float>& relevance, const Interval& word, int frame) {
    const int64_t T = int64_t(relevance.size());
    if (!word.valid(T))
        throw Error("word interval [" + std::to_string(word.start) + ", " + std::to_string(word.end) +
                    ") does not lie within the clip's " + std::to_string(T) + " samples");
    Localisation l;
    double inside = 0, total = 0;
    for (int64_t i = 0; i < T; ++i) {
        const double r = std::max(0.0, double(relevance[size_t(i)]));
        total += r;
        if (i >= word.start && i < word.end) inside += r;
    }
    l.massAccuracy = total > 0 ? inside / total : 0.0;
    const auto pooled = poolFrames(relevance, frame);
    const int best = rankFrames(pooled).front();
    const int64_t start = int64_t(best) * frame, end = std::min<int64_t>(T, start + frame);
    l.pointingHit = start < word.end && end > word.start;
    l.intervalShare = double(word.end - word.start) / double(T);
    return l;
}

}  // namespace s4scope::evaluation
