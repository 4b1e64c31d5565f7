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
// by a tenth of the gate; prefix sums of squares make each stretch O(1).
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
                                      const std::vector<std::string>& labels, double threshold, int64_t minWindows) {
    std::vector<Detection> out;
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
            open = true;
        }
        Detection& d = out.back();
        d.end = w.start + windowSeconds;
        ++d.windows;
        if (w.probability > d.peakProbability) {
            d.peakProbability = w.probability;
            d.peakStart = w.start;
        }
    }
    out.erase(std::remove_if(out.begin(), out.end(), [&](const Detection& d) { return d.windows < minWindows; }), out.end());
    return out;
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
    const int64_t hop = std::max<int64_t>(1, std::llround(options.hopSeconds * rate));
    const int64_t count = n <= T ? 1 : (n - T + hop - 1) / hop + 1;  // the last window reaches the end
    const int64_t gateLength = std::max<int64_t>(1, std::llround(options.gateWindowMs * rate / 1000.0));
    const int64_t batch = std::max<int64_t>(1, options.batchSize);
    const auto& labels = model.config().labels;

    std::vector<double> prefix(size_t(n) + 1, 0.0);
    for (int64_t i = 0; i < n; ++i) prefix[size_t(i + 1)] = prefix[size_t(i)] + double(samples[size_t(i)]) * samples[size_t(i)];

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
        const std::vector<float> logits = model.logits(clips.data(), m);
        const int64_t C = static_cast<int64_t>(logits.size()) / m;
        for (int64_t k = 0; k < m; ++k) {
            const Prediction p = predictionFromLogits(std::vector<float>(logits.begin() + k * C, logits.begin() + (k + 1) * C), labels);
            ScanWindow& w = result.windows[size_t(first + k)];
            const int64_t begin = (first + k) * hop;
            w.start = double(begin) / rate;
            w.classIndex = p.classIndex;
            w.probability = p.probability;
            w.levelDb = loudestLevelDb(prefix, begin, T, gateLength);
            w.speech = w.levelDb >= options.gateDb;
        }
        if (options.progress) options.progress(double(first + m) / count);
    }
    const auto minWindows = std::max<int64_t>(1, int64_t(std::ceil(options.minRunSeconds / result.hopSeconds - 1e-9)));
    result.detections = detectKeywords(result.windows, result.windowSeconds, labels, options.threshold, minWindows);
    return result;
}

}  // namespace s4scope
