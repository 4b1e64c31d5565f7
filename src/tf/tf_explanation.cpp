#include "tf/tf_explanation.h"

#include <stdexcept>
#include <string>

#include "s4scope/error.h"

namespace s4scope::tf {

MaskedClassification classifyMasked(const Model& model, const signal::Stft& stft, const signal::StftCoefficients& X,
                                    const signal::TfRelevance& relevance, int64_t target, signal::ListenMask kind,
                                    double topPercent) {
    MaskedClassification out;
    try {
        out.audio = signal::listenTo(stft, X, relevance, kind, topPercent);
    } catch (const std::invalid_argument& e) {
        throw Error(e.what());
    }
    out.prediction = model.classify(out.audio.samples);
    if (target < 0 || target >= int64_t(out.prediction.probabilities.size()))
        throw Error("listening: target class " + std::to_string(target) + " is not one of the model's " +
                    std::to_string(out.prediction.probabilities.size()) + " classes");
    out.target = target;
    out.targetProbability = out.prediction.probabilities[size_t(target)];
    return out;
}

const MaskedClassification& TfExplanation::listened(signal::ListenMask kind) const {
    for (const auto& m : listening)
        if (m.audio.kind == kind) return m;
    throw Error("no \"" + signal::listenMaskName(kind) + "\" signal was computed");
}

const std::vector<signal::ListenMask>& listeningKinds() {
    static const std::vector<signal::ListenMask> kinds{signal::ListenMask::For, signal::ListenMask::Against,
                                                       signal::ListenMask::Rest};
    return kinds;
}

TfExplanation explainInTimeFrequency(const Model& model, const std::vector<float>& clip, const Explanation& explanation,
                                     double topPercent, bool listen, const signal::TfRelevanceOptions& options) {
    const int rate = model.config().sample_rate;
    TfExplanation out;
    out.topPercent = topPercent;
    try {
        const signal::Stft stft = signal::Stft::forSampleRate(rate);
        const signal::StftCoefficients X = stft.forward(clip);
        out.relevance = signal::timeFrequencyRelevance(stft, X, clip, explanation.relevance, rate, options);
        if (!listen) return out;
        const std::vector<float> probabilities = predictionFromLogits(explanation.logits, model.config().labels).probabilities;
        if (explanation.target < 0 || explanation.target >= int64_t(probabilities.size()))
            throw Error("time-frequency explanation: target class " + std::to_string(explanation.target) + " out of range");
        out.originalProbability = probabilities[size_t(explanation.target)];
        for (signal::ListenMask kind : listeningKinds())
            out.listening.push_back(classifyMasked(model, stft, X, out.relevance, explanation.target, kind, topPercent));
    } catch (const std::invalid_argument& e) {
        throw Error(e.what());  // the signal library's refusals, as the engine's error type
    }
    return out;
}

}  // namespace s4scope::tf
