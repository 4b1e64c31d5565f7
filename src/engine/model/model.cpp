#include <algorithm>
#include <cmath>
#include <filesystem>

#include "model/model_impl.h"
#include "model/runtime.h"
#include "s4scope/checkpoint.h"
#include "s4scope/checkpoint_formats.h"
#include "s4scope/error.h"

namespace s4scope {
namespace fs = std::filesystem;

namespace {

const std::string& kConfigSuffix = modelConfigSuffix();

bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string weightsBeside(const fs::path& config) {
    const std::string name = config.filename().string();
    const std::string stem = name.substr(0, name.size() - kConfigSuffix.size());
    std::string looked;
    for (const std::string& ext : checkpointExtensions()) {
        const fs::path candidate = config.parent_path() / (stem + ext);
        if (fs::is_regular_file(candidate)) return candidate.string();
        looked += (looked.empty() ? "" : ", ") + candidate.filename().string();
    }
    throw Error(config.string() + ": no weights beside this config (looked for " + looked + ")");
}

// The state dict a config implies (DESIGN.md §2, §12), computed without building the model, so a
// checkpoint is checked against it before any tensor data is read or any parameter allocated.
std::vector<ExpectedTensor> expectedTensors(const ModelConfig& c) {
    std::vector<ExpectedTensor> e;
    for (auto& [name, shape] : stateDictLayout(c)) e.push_back({name, shape});
    return e;
}

// state-spaces' rate: the kernels of the same continuous-time system sampled at `hz`.
void runAtSampleRate(ModelImpl& impl, int hz, const std::string& source) {
    auto& config = impl.module->config;
    if (hz == config.sample_rate) return;
    if (config.encoder != "linear")
        throw Error(source + ": running at " + std::to_string(hz) + " Hz without resampling needs a model without a strided "
                    "encoder (encoder 'linear', example.py's backbone); this one reads frames of " +
                    std::to_string(config.downsample) + " samples: resample the audio instead");
    ModelConfig changed = config;
    changed.seq_len = static_cast<int64_t>(std::llround(double(config.seq_len) * hz / config.sample_rate));
    changed.sample_rate = hz;
    changed.rate = config.rate * double(config.sample_rate) / hz;  // a sample now spans `rate` trained steps
    changed.validate(source + " at " + std::to_string(hz) + " Hz");
    config = changed;
    impl.module->setRate(changed.rate);
}

}  // namespace

ModelFiles resolveModelFiles(const std::string& pathText) {
    const fs::path path(pathText);
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        std::vector<fs::path> configs;
        for (const auto& entry : fs::directory_iterator(path, ec))
            if (endsWith(entry.path().filename().string(), kConfigSuffix)) configs.push_back(entry.path());
        if (configs.size() != 1)
            throw Error(pathText + ": expected exactly one *" + kConfigSuffix + " in this folder, found " +
                        std::to_string(configs.size()));
        return {configs[0].string(), weightsBeside(configs[0])};
    }
    if (!fs::exists(path, ec)) throw Error(pathText + ": no such file");
    const std::string name = path.filename().string();
    if (endsWith(name, kConfigSuffix)) return {pathText, weightsBeside(path)};
    if (checkpointFormatFor(pathText)) {
        const fs::path config = path.parent_path() / (path.stem().string() + kConfigSuffix);
        if (!fs::is_regular_file(config))
            throw Error(pathText + ": no config beside these weights (looked for " + config.filename().string() + ")");
        return {config.string(), pathText};
    }
    throw Error(pathText + ": not a model file (expected NAME" + kConfigSuffix + ", " + checkpointNamesForMessages() + ")");
}

torch::Tensor ModelImpl::inputTensor(const float* clips, int64_t batch) const {
    const int64_t T = module->config.seq_len;
    if (batch <= 0) throw Error("the model needs at least one clip");
    for (int64_t i = 0; i < batch * T; ++i)
        if (!std::isfinite(clips[i]))
            throw Error("clip " + std::to_string(i / T) + " has a non-finite sample at index " + std::to_string(i % T));
    return torch::from_blob(const_cast<float*>(clips), {batch, 1, T}, torch::kFloat).clone();
}

Model::Model(std::shared_ptr<ModelImpl> impl) : impl_(std::move(impl)) {}

Model Model::load(const std::string& eitherFile, const ModelLoadOptions& options) {
    const ModelFiles files = resolveModelFiles(eitherFile);
    const ModelConfig config = ModelConfig::fromFile(files.config);
    // Strict names and shapes before any tensor data is read: a checkpoint that does not fit the
    // config (or a config that does not fit the checkpoint) is refused before anything is allocated.
    const NamedTensors tensors = readCheckpoint(files.weights, expectedTensors(config), options.stateDictPrefix);
    try {
        Model model = initialised(config, 0);
        model.loadStateDict(tensors, files.weights);
        model.impl_->source = files.weights;
        if (options.sampleRate) runAtSampleRate(*model.impl_, *options.sampleRate, files.config);
        return model;
    } catch (const c10::Error& e) {  // libtorch's message without its 36-frame backtrace
        throw Error(files.weights + ": cannot build the model of " + files.config + ": " + e.what_without_backtrace());
    } catch (const std::bad_alloc&) {
        throw Error(files.weights + ": not enough memory to build the model of " + files.config);
    }
}

Model Model::initialised(const ModelConfig& config, uint64_t seed) {
    ensureRuntime();
    config.validate();
    torch::manual_seed(seed);
    auto impl = std::make_shared<ModelImpl>(config);
    initialiseS4D(*impl->module);
    impl->module->eval();
    // Attributions differentiate with respect to the input only; frozen weights also let the
    // S4D kernels be cached.
    for (auto& p : impl->module->parameters()) p.set_requires_grad(false);
    impl->source = "initialised (seed " + std::to_string(seed) + ")";
    return Model(impl);
}

const ModelConfig& Model::config() const { return impl_->module->config; }
std::string Model::source() const { return impl_->source; }

std::vector<float> Model::logits(const float* clips, int64_t batch) const {
    c10::InferenceMode inference;  // lighter than NoGradGuard: no autograd or version bookkeeping per op
    const auto input = impl_->inputTensor(clips, batch);
    auto out = torch::empty({batch, config().n_classes}, input.options());
    // Slices of the batch on separate threads, one clip on one thread (it is dispatch-bound).
    parallelSlices(batch, [&](int64_t begin, int64_t end) {
        out.narrow(0, begin, end - begin).copy_(impl_->module->forward(input.narrow(0, begin, end - begin)));
    });
    return std::vector<float>(out.data_ptr<float>(), out.data_ptr<float>() + out.numel());
}

std::vector<float> Model::logits(const std::vector<float>& clip) const {
    if (static_cast<int64_t>(clip.size()) != config().seq_len)
        throw Error("the clip has " + std::to_string(clip.size()) + " samples; the model takes " +
                    std::to_string(config().seq_len));
    return logits(clip.data(), 1);
}

Prediction Model::classify(const std::vector<float>& clip) const {
    return predictionFromLogits(logits(clip), config().labels);
}

Prediction predictionFromLogits(const std::vector<float>& logits, const std::vector<std::string>& labels) {
    Prediction p;
    p.logits = logits;
    if (logits.empty()) return p;
    const float top = *std::max_element(logits.begin(), logits.end());
    double sum = 0;
    for (float l : logits) sum += std::exp(double(l) - top);
    for (float l : logits) p.probabilities.push_back(static_cast<float>(std::exp(double(l) - top) / sum));
    p.classIndex = std::max_element(logits.begin(), logits.end()) - logits.begin();
    p.probability = p.probabilities[p.classIndex];
    if (p.classIndex < static_cast<int64_t>(labels.size())) p.label = labels[p.classIndex];
    return p;
}

NamedTensors Model::stateDict() const { return stateDictOf(*impl_->module); }

void Model::loadStateDict(const NamedTensors& tensors, const std::string& source) {
    loadStateDictInto(*impl_->module, tensors, source);
    impl_->source = source;
}

void Model::save(const std::string& weightsPath) const {
    const fs::path p(weightsPath);
    const fs::path configPath = p.parent_path() / (p.stem().string() + kConfigSuffix);
    writeCheckpoint(weightsPath, stateDict());
    config().writeFile(configPath.string());
}

}  // namespace s4scope
