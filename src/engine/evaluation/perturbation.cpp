// Deletion / insertion curves (DESIGN.md §10): frames removed or kept in the order of a ranking,
// replaced by a baseline, and the target probability read after each 5 % step.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "s4scope/evaluation.h"

namespace s4scope::evaluation {
namespace {

// Softmax probability of `target` for each of `count` clips (clips back to back), in batches.
std::vector<double> targetProbabilities(const LogitFunction& logits, const std::vector<float>& clips, int64_t count,
                                        int64_t T, int64_t target, int64_t batchSize, const Control& control) {
    std::vector<double> p;
    p.reserve(size_t(count));
    batchSize = std::max<int64_t>(batchSize, 1);
    for (int64_t first = 0; first < count; first += batchSize) {
        control.check();
        const int64_t n = std::min(batchSize, count - first);
        const auto l = logits(clips.data() + first * T, n);
        const int64_t C = int64_t(l.size()) / n;
        if (target < 0 || target >= C) throw Error("target class " + std::to_string(target) + " is outside 0.." + std::to_string(C - 1));
        for (int64_t b = 0; b < n; ++b) {
            const float* row = l.data() + b * C;
            const double top = *std::max_element(row, row + C);
            double z = 0;
            for (int64_t c = 0; c < C; ++c) z += std::exp(double(row[c]) - top);
            p.push_back(std::exp(double(row[target]) - top) / z);
        }
    }
    return p;
}

}  // namespace

std::string baselineName(Baseline baseline) { return baseline == Baseline::Zero ? "zero" : "noise"; }

std::optional<Baseline> baselineFromName(const std::string& name) {
    if (name == "zero") return Baseline::Zero;
    if (name == "noise") return Baseline::NoiseFloor;
    return std::nullopt;
}

double noiseFloor(const std::vector<float>& clip, int frame) {
    frame = std::max(frame, 1);
    std::vector<double> rms;
    for (size_t start = 0; start < clip.size(); start += size_t(frame)) {
        const size_t end = std::min(clip.size(), start + size_t(frame));
        double e = 0;
        for (size_t i = start; i < end; ++i) e += double(clip[i]) * clip[i];
        rms.push_back(std::sqrt(e / double(end - start)));
    }
    if (rms.empty()) return 1e-3;
    std::sort(rms.begin(), rms.end());
    const size_t quiet = std::max<size_t>(1, rms.size() / 10);
    double e = 0;
    for (size_t i = 0; i < quiet; ++i) e += rms[i] * rms[i];
    return std::max(std::sqrt(e / double(quiet)), 1e-3);
}

std::vector<float> baselineSignal(const std::vector<float>& clip, int frame, Baseline baseline, uint64_t seed) {
    std::vector<float> b(clip.size(), 0.f);
    if (baseline == Baseline::NoiseFloor) {
        std::mt19937_64 rng(seed ^ 0x6e6f697365ull);
        std::normal_distribution<double> normal(0.0, noiseFloor(clip, frame));
        for (auto& v : b) v = float(normal(rng));
    }
    return b;
}

double trapezoidArea(const std::vector<double>& x, const std::vector<double>& y) {
    double area = 0;
    for (size_t i = 1; i < x.size() && i < y.size(); ++i) area += 0.5 * (x[i] - x[i - 1]) * (y[i] + y[i - 1]);
    return area;
}

std::vector<double> curveFractions(double step) {
    if (!(step > 0 && step <= 1)) throw Error("curve step " + std::to_string(step) + " is outside (0, 1]");
    const int points = int(std::ceil(1.0 / step - 1e-9));
    std::vector<double> k;
    for (int i = 0; i < points; ++i) k.push_back(i * step);
    k.push_back(1.0);
    return k;
}

Curves perturbationCurves(const LogitFunction& logits, const std::vector<float>& clip, int64_t target,
                          const std::vector<int>& order, int frame, const CurveOptions& options,
                          const Control& control) {
    const int64_t T = int64_t(clip.size());
    const int frames = int(order.size());
    if (frames == 0 || T == 0 || frame < 1) throw Error("nothing to perturb: the clip or its ranking is empty");
    for (int f : order)
        if (f < 0 || int64_t(f) * frame >= T) throw Error("frame " + std::to_string(f) + " lies outside the clip");
    const auto baseline = baselineSignal(clip, frame, options.baseline, options.seed);
    Curves c;
    c.fractions = curveFractions(options.step);
    const int64_t points = int64_t(c.fractions.size());
    // Deletion clips first, then insertion clips, all evaluated in one stream of batches.
    std::vector<float> clips(size_t(2 * points * T));
    for (int64_t p = 0; p < points; ++p) {
        float* del = clips.data() + p * T;
        float* ins = clips.data() + (points + p) * T;
        std::copy(clip.begin(), clip.end(), del);
        std::copy(baseline.begin(), baseline.end(), ins);
        const int top = int(std::lround(c.fractions[size_t(p)] * frames));
        for (int r = 0; r < top; ++r) {
            const int64_t start = int64_t(order[size_t(r)]) * frame, end = std::min<int64_t>(T, start + frame);
            for (int64_t i = start; i < end; ++i) del[i] = baseline[size_t(i)], ins[i] = clip[size_t(i)];
        }
    }
    const auto prob = targetProbabilities(logits, clips, 2 * points, T, target, options.batchSize, control);
    c.deletion.assign(prob.begin(), prob.begin() + points);
    c.insertion.assign(prob.begin() + points, prob.end());
    c.aucDeletion = trapezoidArea(c.fractions, c.deletion);
    c.aucInsertion = trapezoidArea(c.fractions, c.insertion);
    return c;
}

Curves relevanceCurves(const LogitFunction& logits, const std::vector<float>& clip, int64_t target,
                       const std::vector<float>& relevance, int sampleRate, const CurveOptions& options,
                       const Control& control) {
    if (relevance.size() != clip.size())
        throw Error("the relevance has " + std::to_string(relevance.size()) + " values for " + std::to_string(clip.size()) + " samples");
    const int frame = frameSamples(sampleRate, options.frameMs);
    return perturbationCurves(logits, clip, target, rankFrames(poolFrames(relevance, frame)), frame, options, control);
}

Curves randomReference(const LogitFunction& logits, const std::vector<float>& clip, int64_t target, int sampleRate,
                       const CurveOptions& options, const Control& control) {
    const int frame = frameSamples(sampleRate, options.frameMs);
    std::vector<int> order(poolFrames(std::vector<float>(clip.size()), frame).size());
    std::mt19937_64 rng(options.seed ^ 0x72616e646f6dull);
    Curves mean;
    const int orders = std::max(options.randomOrders, 1);
    for (int o = 0; o < orders; ++o) {
        std::iota(order.begin(), order.end(), 0);
        std::shuffle(order.begin(), order.end(), rng);
        const Curves c = perturbationCurves(logits, clip, target, order, frame, options, control);
        if (o == 0) {
            mean = c;
        } else {
            for (size_t i = 0; i < c.fractions.size(); ++i) mean.deletion[i] += c.deletion[i], mean.insertion[i] += c.insertion[i];
            mean.aucDeletion += c.aucDeletion, mean.aucInsertion += c.aucInsertion;
        }
        if (control.progress) control.progress(double(o + 1) / orders);
    }
    for (auto& v : mean.deletion) v /= orders;
    for (auto& v : mean.insertion) v /= orders;
    mean.aucDeletion /= orders, mean.aucInsertion /= orders;
    return mean;
}

}  // namespace s4scope::evaluation
