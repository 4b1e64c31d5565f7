#pragma once
// The classifier's configuration (DESIGN.md §2): the `NAME_config.json` half of a model pair.
#include <cstdint>
#include <string>
#include <vector>

namespace s4scope {

struct ModelConfig {
    int64_t d_input = 1;
    int64_t d_state = 64;   // N: the S4D kernel has N/2 complex modes
    int64_t d_model = 128;  // H
    int64_t n_layers = 3;
    int64_t downsample = 160;  // encoder kernel size and stride S
    int64_t seq_len = 16000;   // T
    int64_t n_classes = 10;
    bool prenorm = false;
    std::vector<std::string> labels = defaultLabels();
    int sample_rate = 16000;

    int64_t steps() const { return seq_len / downsample; }  // L, the S4 sequence length
    int64_t parameterCount() const;

    // Throws Error naming `source` and the offending key when sizes make no sense.
    void validate(const std::string& source = "model config") const;

    // Canonical keys and the aliases of DESIGN.md §2; unknown keys are ignored (training
    // configs carry extra ones). Throws Error naming `source`.
    static ModelConfig fromJson(const std::string& jsonText, const std::string& source = "model config");
    static ModelConfig fromFile(const std::string& path);
    std::string toJson() const;  // canonical keys, pretty-printed
    void writeFile(const std::string& path) const;

    static std::vector<std::string> defaultLabels();
};

}  // namespace s4scope
