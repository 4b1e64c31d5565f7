// Agreement between two relevance maps at a time scale (DESIGN.md §10). Per-sample correlation of
// raw-audio relevance is dominated by the carrier's oscillation, so maps are summed over frames
// first; Pearson and Spearman come from the signal library (the agreement matrix uses them too).
#include <algorithm>
#include <cmath>

#include "s4scope/evaluation.h"
#include "signal/correlation.h"

namespace s4scope::evaluation {

double topFractionJaccard(const std::vector<double>& a, const std::vector<double>& b, double topFraction) {
    if (a.size() != b.size() || a.empty()) return std::nan("");
    const size_t k = std::clamp<size_t>(size_t(std::lround(topFraction * double(a.size()))), 1, a.size());
    std::vector<char> inA(a.size(), 0), inB(b.size(), 0);
    const auto ra = rankFrames(a), rb = rankFrames(b);
    for (size_t i = 0; i < k; ++i) inA[size_t(ra[i])] = 1, inB[size_t(rb[i])] = 1;
    size_t both = 0, either = 0;
    for (size_t i = 0; i < a.size(); ++i) both += inA[i] && inB[i], either += inA[i] || inB[i];
    return double(both) / double(either);
}

Agreement agreementAt(const std::vector<float>& a, const std::vector<float>& b, int scale, double topFraction) {
    if (a.size() != b.size()) throw Error("cannot compare maps of " + std::to_string(a.size()) + " and " + std::to_string(b.size()) + " samples");
    const auto pa = poolFrames(a, scale), pb = poolFrames(b, scale);
    const std::vector<float> fa(pa.begin(), pa.end()), fb(pb.begin(), pb.end());
    Agreement g;
    g.pearson = signal::pearson(fa, fb);
    g.spearman = signal::spearman(fa, fb);
    g.topJaccard = topFractionJaccard(pa, pb, topFraction);
    return g;
}

}  // namespace s4scope::evaluation
