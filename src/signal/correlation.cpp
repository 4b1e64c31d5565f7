#include "signal/correlation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace s4scope::signal {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<float> ranks(const std::vector<float>& v) {
    std::vector<size_t> order(v.size());
    std::iota(order.begin(), order.end(), size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](size_t i, size_t j) { return v[i] < v[j]; });
    std::vector<float> r(v.size());
    for (size_t start = 0; start < order.size();) {
        size_t end = start + 1;
        while (end < order.size() && v[order[end]] == v[order[start]]) ++end;
        const float mean = 0.5f * float(start + end - 1);  // ranks are 0-based; only differences matter
        for (size_t k = start; k < end; ++k) r[order[k]] = mean;
        start = end;
    }
    return r;
}

}  // namespace

double pearson(const std::vector<float>& a, const std::vector<float>& b) {
    if (a.size() != b.size() || a.size() < 2) return kNaN;
    double ma = 0, mb = 0;
    for (size_t i = 0; i < a.size(); ++i) ma += a[i], mb += b[i];
    ma /= double(a.size());
    mb /= double(b.size());
    double sab = 0, saa = 0, sbb = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        const double da = a[i] - ma, db = b[i] - mb;
        sab += da * db, saa += da * da, sbb += db * db;
    }
    if (saa <= 0 || sbb <= 0) return kNaN;
    return std::clamp(sab / std::sqrt(saa * sbb), -1.0, 1.0);
}

double spearman(const std::vector<float>& a, const std::vector<float>& b) {
    if (a.size() != b.size()) return kNaN;
    return pearson(ranks(a), ranks(b));
}

double correlate(Correlation kind, const std::vector<float>& a, const std::vector<float>& b) {
    return kind == Correlation::Pearson ? pearson(a, b) : spearman(a, b);
}

std::vector<double> agreementMatrix(Correlation kind, const std::vector<std::vector<float>>& maps) {
    // Spearman is Pearson of the ranks: rank each map once, not once per pair (this runs on the GUI thread).
    std::vector<std::vector<float>> ranked;
    if (kind == Correlation::Spearman)
        for (const auto& map : maps) ranked.push_back(ranks(map));
    const auto& values = kind == Correlation::Spearman ? ranked : maps;
    const size_t n = maps.size();
    std::vector<double> m(n * n, kNaN);
    for (size_t i = 0; i < n; ++i)
        for (size_t j = i; j < n; ++j) m[i * n + j] = m[j * n + i] = pearson(values[i], values[j]);
    return m;
}

Agreement agreementOf(const std::vector<std::vector<float>>& maps) {
    return {agreementMatrix(Correlation::Pearson, maps), agreementMatrix(Correlation::Spearman, maps)};
}

}  // namespace s4scope::signal
