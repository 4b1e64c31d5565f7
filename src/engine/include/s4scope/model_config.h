#pragma once
// The classifier's configuration (DESIGN.md §2): the `NAME_config.json` half of a model pair.
#include <cstdint>
#include <string>
#include <vector>

namespace s4scope {

// The S4 layer inside each residual block, after the state-spaces code (DESIGN.md §12). Names are
// canonical; the config reader also accepts the standalone code's spellings (see config.cpp).
struct S4LayerOptions {
    // "s4d": s4d.py's S4D (state-dict names kernel.log_dt, kernel.log_A_real, ...; Conv1d output);
    // "s4block": s4.py's S4Block around FFTConv (layer.D, layer.kernel.inv_dt, kernel.B, kernel.A_real,
    // ...; Linear output).
    std::string layer = "s4d";
    std::string mode = "diag";  // "diag" (S4D) or "dplr" (S4, diagonal plus low rank, Cauchy kernel)
    std::string disc = "zoh";   // "zoh" or "bilinear" (diag; dplr is always bilinear)
    // Parameterisations of -Re(A), -Im(A) and dt: "none", "exp", "relu", "sigmoid", "softplus".
    std::string real_transform = "exp";
    std::string imag_transform = "none";
    std::string dt_transform = "exp";
    int64_t n_ssm = 0;  // independent (A, B, dt) copies, tiled over the channels; 0: d_model
    int64_t rank = 1;   // of the low-rank part (dplr)
    bool dt_tie = true;  // one dt per channel (false: one per mode; diag only)
    int64_t l_max = 0;   // FFTConv's l_max: the kernel is at most round(l_max / rate) long; 0: none
};

struct ModelConfig {
    int64_t d_input = 1;
    int64_t d_state = 64;   // N: the S4D kernel has N/2 complex modes
    int64_t d_model = 128;  // H
    int64_t n_layers = 3;
    int64_t downsample = 160;  // encoder kernel size and stride S
    int64_t seq_len = 16000;   // T
    int64_t n_classes = 10;
    bool prenorm = false;
    // The input encoder: "conv" (the card's strided Conv1d(d_input, H, S, stride S)) or "linear"
    // (example.py's Linear(d_input, H) at every sample, downsample 1).
    std::string encoder = "conv";
    S4LayerOptions s4;
    std::vector<std::string> labels = defaultLabels();
    int sample_rate = 16000;
    // state-spaces' `rate`: every S4 kernel's dt is multiplied by it (a model trained at sample
    // rate F runs at F / rate). 1: as trained. Set by ModelLoadOptions::sampleRate.
    double rate = 1.0;

    int64_t steps() const { return seq_len / downsample; }  // L, the S4 sequence length
    int64_t parameterCount() const;

    // Throws Error naming `source` and the offending key when sizes make no sense.
    void validate(const std::string& source = "model config") const;
    void validateLayer(const std::string& source) const;  // the encoder and S4 layer options

    // Canonical keys and the aliases of DESIGN.md §2; unknown keys are ignored (training
    // configs carry extra ones). Throws Error naming `source`.
    static ModelConfig fromJson(const std::string& jsonText, const std::string& source = "model config");
    static ModelConfig fromFile(const std::string& path);
    std::string toJson() const;  // canonical keys, pretty-printed
    void writeFile(const std::string& path) const;

    static std::vector<std::string> defaultLabels();
};

}  // namespace s4scope
