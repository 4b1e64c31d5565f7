#include "signal/relevance_pooling.h"

#include <algorithm>
#include <cmath>

namespace s4scope::signal {

std::vector<double> poolRelevance(const std::vector<float>& relevance, double firstSample, double lastSample, int bins) {
    std::vector<double> out(size_t(std::max(bins, 0)), 0.0);
    if (bins <= 0 || lastSample <= firstSample) return out;
    const double perBin = (lastSample - firstSample) / bins;
    const long begin = std::max(0L, long(std::ceil(firstSample)));
    const long end = std::min(long(relevance.size()), long(std::ceil(lastSample)));
    for (long i = begin; i < end; ++i) {
        const int bin = std::min(bins - 1, int((double(i) - firstSample) / perBin));
        out[size_t(bin)] += relevance[size_t(i)];
    }
    return out;
}

std::vector<double> poolPerFrame(const std::vector<float>& relevance, int hopSamples, int frames) {
    std::vector<double> out(size_t(std::max(frames, 0)), 0.0);
    if (hopSamples <= 0) return out;
    if (frames <= 0) return out;
    const long half = hopSamples / 2, last = frames - 1;
    for (size_t i = 0; i < relevance.size(); ++i) out[size_t(std::min(last, (long(i) + half) / hopSamples))] += relevance[i];
    return out;
}

double maxAbs(const std::vector<double>& values) {
    double m = 0;
    for (double v : values) m = std::max(m, std::abs(v));
    return m;
}

double maxAbs(const std::vector<float>& values) {
    double m = 0;
    for (float v : values) m = std::max(m, double(std::abs(v)));
    return m;
}

}  // namespace s4scope::signal

namespace s4scope::signal {

RelevanceStats relevanceStats(const std::vector<float>& relevance) {
    RelevanceStats s;
    s.maxAbs = maxAbs(relevance);
    for (float v : relevance) s.sum += double(v);
    return s;
}

}  // namespace s4scope::signal
