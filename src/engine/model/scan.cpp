// Sliding-window keyword scan (DESIGN.md §9). Windows are cut batch by batch (a 10-minute
// recording has 6,000 windows: 384 MB if cut all at once) and classified with Model::logits, which
// splits each batch over the cores.
#include "s4scope/scan.h"

#include <algorithm>
#include <cmath>

#include "s4scope/attribution.h"  // Cancelled
#include "s4scope/error.h"

namespace s4scope {
namespace {

// Loudest RMS level (dBFS) of any gateLength-sample stretch inside [begin, begin + length), stepped
// by a tenth of the gate; prefix sums of squares make each stretch O(1). `prefix` covers only the
// current batch's samples (an hour's prefix sums would take 460 MB): `begin` counts from its start.
double loudestLevelDb(const std::vector<double>& prefix, int64_t begin, int64_t length, int64_t gateLength) {
    const int64_t n = static_cast<int64_t>(prefix.size()) - 1;
    const int64_t step = std::max<int64_t>(1, gateLength / 10);
    double loudest = 0;
    for (int64_t offset = 0; offset + gateLength <= length || offset == 0; offset += step) {
        const int64_t a = std::min(n, begin + offset), b = std::min(n, begin + offset + gateLength);
        loudest = std::max(loudest, (prefix[b] - prefix[a]) / double(gateLength));
        if (offset + gateLength >= length) break;
    }
    return loudest > 1e-12 ? 10.0 * std::log10(loudest) : -120.0;
}

}  // namespace

std::vector<Detection> detectKeywords(const std::vector<ScanWindow>& windows, double windowSeconds,
                                      const std::vector<std::string>& labels, double threshold, int64_t minWindows,
                                      double maxOverlap) {
    std::vector<Detection> out;
    std::vector<double> strength;  // per detection: the sum of its windows' probabilities
    bool open = false;
    for (size_t i = 0; i < windows.size(); ++i) {
        const ScanWindow& w = windows[i];
        const bool hit = w.speech && w.probability >= threshold;
        if (open && (!hit || w.classIndex != out.back().classIndex)) open = false;
        if (!hit) continue;
        if (!open) {
            Detection d;
            d.classIndex = w.classIndex;
            d.label = w.classIndex < static_cast<int64_t>(labels.size()) ? labels[size_t(w.classIndex)] : std::to_string(w.classIndex);
            d.start = w.start;
            d.peakStart = w.start;
            d.peakProbability = w.probability;
            out.push_back(d);
            strength.push_back(0);
            open = true;
        }
        Detection& d = out.back();
        d.end = w.start + windowSeconds;
        ++d.windows;
        strength.back() += w.probability;
        if (w.probability > d.peakProbability) {
            d.peakProbability = w.probability;
            d.peakStart = w.start;
        }
    }
    std::vector<size_t> held;  // long enough, in time order
    for (size_t i = 0; i < out.size(); ++i)
        if (out[i].windows >= minWindows) held.push_back(i);
    // Strongest first, each kept unless it lies mostly inside a kept detection of another class.
    std::vector<size_t> byStrength = held;
    std::stable_sort(byStrength.begin(), byStrength.end(), [&](size_t a, size_t b) { return strength[a] > strength[b]; });
    std::vector<char> keep(out.size(), 0);
    std::vector<size_t> kept;
    for (size_t i : byStrength) {
        const Detection& d = out[i];
        bool inside = false;
        for (size_t k : kept) {
            const Detection& e = out[k];
            if (e.classIndex == d.classIndex) continue;
            const double shared = std::min(d.end, e.end) - std::max(d.start, e.start);
            inside = inside || (maxOverlap < 1 && shared > maxOverlap * (d.end - d.start));
        }
        if (inside) continue;
        keep[i] = 1;
        kept.push_back(i);
    }
    std::vector<Detection> result;
    for (size_t i : held)
        if (keep[i]) result.push_back(std::move(out[i]));
    return result;
}

ScanResult scanRecording(const Model& model, const std::vector<float>& samples, const ScanOptions& options) {
    const int rate = model.config().sample_rate;
    const int64_t T = model.config().seq_len, n = static_cast<int64_t>(samples.size());
    if (n == 0) throw Error("scan: the recording is empty");
    if (!(options.hopSeconds > 0) || !std::isfinite(options.hopSeconds))
        throw Error("scan: the hop must be a positive number of seconds, got " + std::to_string(options.hopSeconds));
    if (!(options.threshold >= 0 && options.threshold <= 1))
        throw Error("scan: the threshold must lie in 0 .. 1, got " + std::to_string(options.threshold));
    if (!(options.gateWindowMs > 0)) throw Error("scan: the gate window must be positive");
    if (!(options.maxOverlap >= 0)) throw Error("scan: the largest overlap must be a fraction >= 0, got " + std::to_string(options.maxOverlap));
    const int64_t hop = std::max<int64_t>(1, std::llround(options.hopSeconds * rate));
    const int64_t count = n <= T ? 1 : (n - T + hop - 1) / hop + 1;  // the last window reaches the end
    const int64_t gateLength = std::max<int64_t>(1, std::llround(options.gateWindowMs * rate / 1000.0));
    const int64_t batch = std::max<int64_t>(1, options.batchSize);
    const auto& labels = model.config().labels;

    std::vector<double> prefix;
    ScanResult result;
    result.duration = double(n) / rate;
    result.sampleRate = rate;
    result.windowSeconds = double(T) / rate;
    result.hopSeconds = double(hop) / rate;
    result.windows.resize(size_t(count));
    std::vector<float> clips;
    for (int64_t first = 0; first < count; first += batch) {
        if (options.cancel && options.cancel->load()) throw Cancelled();
        const int64_t m = std::min(batch, count - first);
        clips.assign(size_t(m * T), 0.0f);
        for (int64_t k = 0; k < m; ++k) {
            const int64_t begin = (first + k) * hop, end = std::min(n, begin + T);
            std::copy(samples.begin() + begin, samples.begin() + end, clips.begin() + k * T);
        }
        // Prefix sums of squares over the batch's samples, from its first window's start.
        const int64_t spanBegin = first * hop, spanEnd = std::min(n, (first + m - 1) * hop + T);
        prefix.assign(size_t(spanEnd - spanBegin) + 1, 0.0);
        for (int64_t i = spanBegin; i < spanEnd; ++i)
            prefix[size_t(i - spanBegin + 1)] = prefix[size_t(i - spanBegin)] + double(samples[size_t(i)]) * samples[size_t(i)];
        const std::vector<float> logits = model.logits(clips.data(), m);
        const int64_t C = static_cast<int64_t>(logits.size()) / m;
        for (int64_t k = 0; k < m; ++k) {
            const Prediction p = predictionFromLogits(std::vector<float>(logits.begin() + k * C, logits.begin() + (k + 1) * C), labels);
            ScanWindow& w = result.windows[size_t(first + k)];
            const int64_t begin = (first + k) * hop;
            w.start = double(begin) / rate;
            w.classIndex = p.classIndex;
            w.probability = p.probability;
            w.levelDb = loudestLevelDb(prefix, begin - spanBegin, T, gateLength);
            w.speech = w.levelDb >= options.gateDb;
        }
        if (options.progress) options.progress(double(first + m) / count);
    }
    const auto minWindows = std::max<int64_t>(1, int64_t(std::ceil(options.minRunSeconds / result.hopSeconds - 1e-9)));
    result.detections = detectKeywords(result.windows, result.windowSeconds, labels, options.threshold, minWindows, options.maxOverlap);
    return result;
}

}  // namespace s4scope
