// Frames, rankings and the adapters every metric shares.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "s4scope/evaluation.h"

namespace s4scope::evaluation {

LogitFunction logitsOf(const Model& model) {
    return [&model](const float* clips, int64_t batch) { return model.logits(clips, batch); };
}

Explainer registryExplainer(ExplainRequest request) {
    return [request](const Model& model, const std::vector<float>& clip, int64_t target) {
        ExplainRequest r = request;
        r.target = target;
        r.progress = nullptr;  // a step of a larger evaluation: its caller reports progress
        return explain(model, clip, r).relevance;
    };
}

int frameSamples(int sampleRate, double ms) {
    return std::max(1, int(std::lround(double(sampleRate) * ms / 1000.0)));
}

std::vector<double> poolFrames(const std::vector<float>& relevance, int frame, bool absolute) {
    frame = std::max(frame, 1);
    const size_t frames = (relevance.size() + size_t(frame) - 1) / size_t(frame);
    std::vector<double> pooled(frames, 0.0);
    for (size_t i = 0; i < relevance.size(); ++i)
        pooled[i / size_t(frame)] += absolute ? std::abs(double(relevance[i])) : double(relevance[i]);
    return pooled;
}

std::vector<int> rankFrames(const std::vector<double>& frameRelevance) {
    std::vector<int> order(frameRelevance.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return frameRelevance[a] > frameRelevance[b]; });
    return order;
}

}  // namespace s4scope::evaluation
