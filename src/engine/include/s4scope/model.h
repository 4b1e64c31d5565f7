#pragma once
// The S4 keyword classifier behind a plain C++ interface (no torch types).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "s4scope/model_config.h"
#include "s4scope/tensor_data.h"

namespace s4scope {

// The two files of a model pair (DESIGN.md §2): NAME_config.json and NAME.{pt,pth,safetensors}.
struct ModelFiles {
    std::string config;
    std::string weights;
};

// Given either file of a pair (or a folder holding exactly one pair), finds the other.
// Throws Error naming what was looked for.
ModelFiles resolveModelFiles(const std::string& path);

struct Prediction {
    int64_t classIndex = 0;
    std::string label;
    float probability = 0.f;
    std::vector<float> logits;
    std::vector<float> probabilities;
};

struct ModelLoadOptions {
    // Where the model's tensors sit in the checkpoint, e.g. "model." in a PyTorch Lightning .ckpt;
    // unset: found from the names (readCheckpoint with a prefix, checkpoint.h).
    std::optional<std::string> stateDictPrefix;
    // Run the model on audio at this sampling rate without resampling it: every S4 kernel's step
    // dt is scaled by the model's rate over this one (state-spaces' `rate`) and the clip length
    // follows the rate. Only for models without a strided encoder (example.py's backbone): the
    // card's Conv1d encoder reads frames of fixed sample counts. The kernels are then those of the
    // same continuous-time system sampled differently; how well the trained layers transfer is an
    // empirical matter (the S4 papers report it for moderate changes). Unset: as trained.
    std::optional<int> sampleRate;
};

class ModelImpl;  // engine-internal (holds the libtorch module)

class Model {
public:
    // Loads config + weights strictly (every missing, unexpected or mis-shaped key in one Error).
    static Model load(const std::string& eitherFile, const ModelLoadOptions& options = {});
    // A freshly initialised model (S4D initialisation), reproducible for a given seed.
    static Model initialised(const ModelConfig& config, uint64_t seed = 0);

    const ModelConfig& config() const;
    std::string source() const;  // the weights file, or "initialised (seed N)"

    // Logits for `batch` clips stored back to back, each config().seq_len samples.
    std::vector<float> logits(const float* clips, int64_t batch) const;
    std::vector<float> logits(const std::vector<float>& clip) const;
    Prediction classify(const std::vector<float>& clip) const;

    NamedTensors stateDict() const;
    void loadStateDict(const NamedTensors& tensors, const std::string& source);
    // Writes the weights (format by extension) and the config beside them (NAME_config.json).
    void save(const std::string& weightsPath) const;

    ModelImpl& impl() const { return *impl_; }

private:
    explicit Model(std::shared_ptr<ModelImpl> impl);
    std::shared_ptr<ModelImpl> impl_;
};

// Turns logits into a prediction (softmax, arg max, label).
Prediction predictionFromLogits(const std::vector<float>& logits, const std::vector<std::string>& labels);

}  // namespace s4scope
