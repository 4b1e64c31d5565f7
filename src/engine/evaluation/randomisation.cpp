// Model-parameter randomisation (Adebayo et al. 2018, DESIGN.md §10): layers re-drawn cascading
// from the decoder down; after each step the method's |R|, pooled to frames, is compared with the
// original by Spearman's rank correlation. An explanation that survives a random network is not
// explaining the network.
#include <cmath>
#include <random>

#include "s4scope/evaluation.h"
#include "signal/correlation.h"

namespace s4scope::evaluation {
namespace {

bool startsWith(const std::string& s, const std::string& prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

std::vector<float> toFloat(const std::vector<double>& v) { return std::vector<float>(v.begin(), v.end()); }

}  // namespace

std::vector<std::string> randomisationLayers(const ModelConfig& config) {
    std::vector<std::string> layers{"decoder"};
    for (int64_t i = config.n_layers - 1; i >= 0; --i) layers.push_back("block " + std::to_string(i));
    layers.push_back("encoder");
    return layers;
}

bool keyInLayer(const std::string& key, const std::string& layer) {
    if (layer == "decoder" || layer == "encoder") return startsWith(key, layer + ".");
    if (startsWith(layer, "block ")) {
        const std::string i = layer.substr(6);
        return startsWith(key, "s4_layers." + i + ".") || startsWith(key, "norms." + i + ".");
    }
    return false;
}

Model randomisedModel(const Model& model, int layers, uint64_t seed) {
    const auto names = randomisationLayers(model.config());
    if (layers < 0 || layers > int(names.size()))
        throw Error("cannot randomise " + std::to_string(layers) + " layers of a model with " + std::to_string(names.size()));
    NamedTensors tensors = model.stateDict();
    std::mt19937_64 rng(seed ^ 0x72616e64ull);
    for (auto& [key, tensor] : tensors) {
        bool chosen = false;
        for (int l = 0; l < layers; ++l) chosen = chosen || keyInLayer(key, names[size_t(l)]);
        if (!chosen || tensor.values.empty()) continue;
        double mean = 0, var = 0;
        for (float v : tensor.values) mean += v;
        mean /= double(tensor.values.size());
        for (float v : tensor.values) var += (v - mean) * (v - mean);
        const double sd = std::sqrt(var / double(tensor.values.size()));
        if (!(sd > 0)) continue;  // all entries equal: nothing learned to destroy
        std::normal_distribution<double> normal(mean, sd);
        for (auto& v : tensor.values) v = float(normal(rng));
    }
    Model copy = Model::initialised(model.config(), seed);
    copy.loadStateDict(tensors, model.source() + " with " + std::to_string(layers) + " layers randomised");
    return copy;
}

RandomisationCascade randomisationCascade(const Model& model, uint64_t seed) {
    RandomisationCascade cascade;
    cascade.layers = randomisationLayers(model.config());
    // Each step re-draws one more layer; the same seed keeps the earlier layers' draws, so step i+1
    // differs from step i only in the newly randomised layer.
    for (int i = 1; i <= int(cascade.layers.size()); ++i) cascade.models.push_back(randomisedModel(model, i, seed));
    return cascade;
}

Randomisation randomisationCheck(const RandomisationCascade& cascade, const std::vector<float>& clip, int64_t target,
                                 const std::vector<float>& originalRelevance, const Explainer& explainer,
                                 int sampleRate, double frameMs, const Control& control) {
    const int frame = frameSamples(sampleRate, frameMs);
    const auto original = toFloat(poolFrames(originalRelevance, frame, /*absolute=*/true));
    Randomisation r;
    r.layers = cascade.layers;
    for (size_t i = 0; i < cascade.models.size(); ++i) {
        control.check();
        const auto relevance = explainer(cascade.models[i], clip, target);
        r.similarity.push_back(signal::spearman(original, toFloat(poolFrames(relevance, frame, true))));
        if (control.progress) control.progress(double(i + 1) / double(cascade.models.size()));
    }
    const double last = r.finalSimilarity();
    const bool originalConstant = std::isnan(signal::spearman(original, original));
    r.passed = std::isnan(last) ? !originalConstant : last < Randomisation::kPassBelow;
    return r;
}

}  // namespace s4scope::evaluation
