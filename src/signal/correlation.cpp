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

// Membership mask of the ceil(fraction * n) largest values (ties: the earlier index first).
std::vector<char> topMask(const std::vector<float>& v, double fraction) {
    const size_t n = v.size();
    const size_t k = std::clamp<size_t>(size_t(std::ceil(std::clamp(fraction, 0.0, 1.0) * double(n))), 1, n);
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](size_t i, size_t j) { return v[i] > v[j]; });
    std::vector<char> mask(n, 0);
    for (size_t i = 0; i < k; ++i) mask[order[i]] = 1;
    return mask;
}

double jaccard(const std::vector<char>& a, const std::vector<char>& b) {
    size_t both = 0, either = 0;
    for (size_t i = 0; i < a.size(); ++i) both += a[i] && b[i], either += a[i] || b[i];
    return either ? double(both) / double(either) : kNaN;
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

double topKOverlap(const std::vector<float>& a, const std::vector<float>& b, double fraction) {
    if (a.size() != b.size() || a.empty()) return kNaN;
    return jaccard(topMask(a, fraction), topMask(b, fraction));
}

double correlate(Correlation kind, const std::vector<float>& a, const std::vector<float>& b, double topKFraction) {
    switch (kind) {
    case Correlation::Pearson: return pearson(a, b);
    case Correlation::Spearman: return spearman(a, b);
    case Correlation::TopKOverlap: return topKOverlap(a, b, topKFraction);
    }
    return kNaN;
}

std::vector<float> poolFrames(const std::vector<float>& values, int frame) {
    if (frame <= 1) return values;
    std::vector<float> out((values.size() + size_t(frame) - 1) / size_t(frame), 0.f);
    for (size_t i = 0; i < values.size(); ++i) out[i / size_t(frame)] += values[i];
    return out;
}

std::vector<double> agreementMatrix(Correlation kind, const std::vector<std::vector<float>>& maps, double topKFraction) {
    const size_t n = maps.size();
    std::vector<double> m(n * n, kNaN);
    if (kind == Correlation::TopKOverlap) {
        // One mask per map, not one per pair.
        std::vector<std::vector<char>> masks;
        for (const auto& map : maps) masks.push_back(map.empty() ? std::vector<char>{} : topMask(map, topKFraction));
        for (size_t i = 0; i < n; ++i)
            for (size_t j = i; j < n; ++j)
                if (masks[i].size() == masks[j].size() && !masks[i].empty()) m[i * n + j] = m[j * n + i] = jaccard(masks[i], masks[j]);
        return m;
    }
    // Spearman is Pearson of the ranks: rank each map once, not once per pair.
    std::vector<std::vector<float>> ranked;
    if (kind == Correlation::Spearman)
        for (const auto& map : maps) ranked.push_back(ranks(map));
    const auto& values = kind == Correlation::Spearman ? ranked : maps;
    for (size_t i = 0; i < n; ++i)
        for (size_t j = i; j < n; ++j) m[i * n + j] = m[j * n + i] = pearson(values[i], values[j]);
    return m;
}

std::vector<int> clusterOrder(const std::vector<double>& matrix, size_t n) {
    if (matrix.size() != n * n) {
        std::vector<int> identity(n);
        std::iota(identity.begin(), identity.end(), 0);
        return identity;
    }
    auto distance = [&](size_t i, size_t j) {
        const double v = matrix[i * n + j];
        return std::isfinite(v) ? 1.0 - v : 2.0;
    };
    struct Cluster {
        std::vector<int> leaves;  // in display order
    };
    std::vector<Cluster> clusters;
    for (size_t i = 0; i < n; ++i) clusters.push_back({{int(i)}});
    auto linkage = [&](const Cluster& a, const Cluster& b) {
        double sum = 0;
        for (int i : a.leaves)
            for (int j : b.leaves) sum += distance(size_t(i), size_t(j));
        return sum / double(a.leaves.size() * b.leaves.size());
    };
    while (clusters.size() > 1) {
        size_t bestA = 0, bestB = 1;
        double best = std::numeric_limits<double>::infinity();
        for (size_t a = 0; a < clusters.size(); ++a)
            for (size_t b = a + 1; b < clusters.size(); ++b)
                if (const double d = linkage(clusters[a], clusters[b]); d < best) best = d, bestA = a, bestB = b;
        // Join so that the closest ends meet (the merged leaves read as a chain of similar methods).
        Cluster& a = clusters[bestA];
        Cluster& b = clusters[bestB];
        const double keep = distance(size_t(a.leaves.back()), size_t(b.leaves.front()));
        const double flip = distance(size_t(a.leaves.front()), size_t(b.leaves.front()));
        if (flip < keep) std::reverse(a.leaves.begin(), a.leaves.end());
        a.leaves.insert(a.leaves.end(), b.leaves.begin(), b.leaves.end());
        clusters.erase(clusters.begin() + std::ptrdiff_t(bestB));
    }
    return clusters.empty() ? std::vector<int>{} : clusters.front().leaves;
}

std::vector<AgreementScale> agreementScales(int sampleRate) {
    const int rate = std::max(1, sampleRate);
    auto frame = [&](double seconds) { return std::max(1, int(std::lround(seconds * rate))); };
    return {{"per sample", 1}, {"1 ms", frame(0.001)}, {"10 ms", frame(0.010)}, {"50 ms", frame(0.050)}};
}

const AgreementMatrix* Agreement::find(Correlation kind, int scale) const {
    if (scale < 0 || size_t(scale) >= matrices.size()) return nullptr;
    const auto& measures = matrices[size_t(scale)];
    return size_t(kind) < measures.size() ? &measures[size_t(kind)] : nullptr;
}

const std::vector<double>& Agreement::of(Correlation kind, int scale) const {
    static const std::vector<double> none;
    const AgreementMatrix* m = find(kind, scale);
    return m ? m->values : none;
}

Agreement agreementOf(const std::vector<std::vector<float>>& maps, int sampleRate, double topKFraction) {
    Agreement a;
    a.scales = agreementScales(sampleRate);
    a.topKFraction = topKFraction;
    for (const AgreementScale& scale : a.scales) {
        std::vector<std::vector<float>> pooled;
        for (const auto& map : maps) pooled.push_back(poolFrames(map, scale.samples));
        std::vector<AgreementMatrix> measures;
        for (int k = 0; k < kCorrelationCount; ++k) {
            AgreementMatrix m;
            m.values = agreementMatrix(Correlation(k), pooled, topKFraction);
            m.clusterOrder = clusterOrder(m.values, maps.size());
            measures.push_back(std::move(m));
        }
        a.matrices.push_back(std::move(measures));
    }
    return a;
}

const char* correlationKey(Correlation kind) {
    switch (kind) {
    case Correlation::Pearson: return "pearson";
    case Correlation::Spearman: return "spearman";
    case Correlation::TopKOverlap: return "top_k_jaccard";
    }
    return "";
}

}  // namespace s4scope::signal
