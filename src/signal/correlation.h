#pragma once
// Agreement between relevance maps (DESIGN.md §10): Pearson's r, Spearman's rank correlation and the
// overlap (Jaccard index) of their top-k % frames, each at a chosen time scale — per sample, or
// relevance summed over 1 ms, 10 ms (the default) or 50 ms frames. Per-sample correlation of
// raw-audio relevance is dominated by the carrier's oscillation: frames say more.
#include <string>
#include <vector>

namespace s4scope::signal {

// How two maps are compared. TopKOverlap: |A ∩ B| / |A ∪ B| of the frames holding the top k % of
// each map's (signed) relevance, i.e. the frames that speak most for the target; 0 .. 1.
enum class Correlation { Pearson, Spearman, TopKOverlap };
constexpr int kCorrelationCount = 3;

// NaN when either map is constant (no variance to correlate) or the sizes differ.
double pearson(const std::vector<float>& a, const std::vector<float>& b);
// Pearson's r of the ranks; ties get the mean of the ranks they span.
double spearman(const std::vector<float>& a, const std::vector<float>& b);
// Jaccard index of the ceil(fraction * n) largest values' positions (ties: the earlier index first).
// NaN when the sizes differ or are 0.
double topKOverlap(const std::vector<float>& a, const std::vector<float>& b, double fraction);
double correlate(Correlation kind, const std::vector<float>& a, const std::vector<float>& b, double topKFraction = 0.1);

// Sums consecutive frames of `frame` samples (the last one may be shorter): the map at a coarser scale.
std::vector<float> poolFrames(const std::vector<float>& values, int frame);

// Symmetric n x n matrix, row-major, 1 on the diagonal (NaN for a constant map under Pearson/Spearman).
std::vector<double> agreementMatrix(Correlation kind, const std::vector<std::vector<float>>& maps, double topKFraction = 0.1);

// An order of the n items that puts similar ones next to each other: average-linkage agglomerative
// clustering on the distance 1 - value (NaN counts as the largest distance, 2), leaves read left to right.
std::vector<int> clusterOrder(const std::vector<double>& matrix, size_t n);

struct AgreementScale {
    std::string name;  // "per sample", "1 ms", "10 ms", "50 ms"
    int samples = 1;   // frame length at the clip's rate
};
// The time scales of DESIGN.md §10 at `sampleRate`; index kDefaultAgreementScale (10 ms) is the default.
std::vector<AgreementScale> agreementScales(int sampleRate);
constexpr int kDefaultAgreementScale = 2;

struct AgreementMatrix {
    std::vector<double> values;     // n x n, row-major
    std::vector<int> clusterOrder;  // see clusterOrder()
};

// Every measure at every scale, computed once (on a worker) so a view can switch between them
// without computing anything.
struct Agreement {
    std::vector<AgreementScale> scales;
    std::vector<std::vector<AgreementMatrix>> matrices;  // [scale][measure]
    double topKFraction = 0.1;

    // Null when there is no such matrix (an empty agreement).
    const AgreementMatrix* find(Correlation kind, int scale = kDefaultAgreementScale) const;
    // The values, or an empty vector.
    const std::vector<double>& of(Correlation kind, int scale = kDefaultAgreementScale) const;
};
Agreement agreementOf(const std::vector<std::vector<float>>& maps, int sampleRate, double topKFraction = 0.1);

// Display names of the measures, e.g. for a JSON key: "pearson", "spearman", "top_k_jaccard".
const char* correlationKey(Correlation kind);

}  // namespace s4scope::signal
