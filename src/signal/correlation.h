#pragma once
// Agreement between relevance maps: Pearson's r and Spearman's rank correlation.
#include <vector>

namespace s4scope::signal {

enum class Correlation { Pearson, Spearman };

// NaN when either map is constant (no variance to correlate) or the sizes differ.
double pearson(const std::vector<float>& a, const std::vector<float>& b);
// Pearson's r of the ranks; ties get the mean of the ranks they span.
double spearman(const std::vector<float>& a, const std::vector<float>& b);
double correlate(Correlation kind, const std::vector<float>& a, const std::vector<float>& b);

// Symmetric n x n matrix, row-major, 1 on the diagonal (NaN for a constant map).
std::vector<double> agreementMatrix(Correlation kind, const std::vector<std::vector<float>>& maps);

// Both matrices of a set of maps, computed once (on a worker) so a view can switch between them
// without computing anything.
struct Agreement {
    std::vector<double> pearson, spearman;  // n x n each, row-major
    const std::vector<double>& of(Correlation kind) const { return kind == Correlation::Pearson ? pearson : spearman; }
};
Agreement agreementOf(const std::vector<std::vector<float>>& maps);

}  // namespace s4scope::signal
