#pragma once
// The small models and clips the attribution suites share. Include after <torch/torch.h>.
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "model/model_impl.h"
#include "s4scope/attribution.h"
#include "s4scope/model.h"

namespace s4test {

// Small enough for fast tests, with every kind of layer: 2 blocks, postnorm or prenorm.
inline s4scope::ModelConfig smallConfig(bool prenorm = false) {
    s4scope::ModelConfig c;
    c.d_model = 16;
    c.d_state = 8;
    c.n_layers = 2;
    c.downsample = 40;
    c.seq_len = 4000;
    c.prenorm = prenorm;
    return c;
}

// Perturbed away from the initialisation (LayerNorm weight 1 / bias 0 etc.) so no layer is
// trivial; biases zeroed when asked.
inline s4scope::Model testModel(bool prenorm = false, bool zeroBiases = false, uint64_t seed = 5) {
    s4scope::Model m = s4scope::Model::initialised(smallConfig(prenorm), seed);
    torch::NoGradGuard g;
    torch::manual_seed(seed + 100);
    for (auto& item : m.impl().module->named_parameters()) {
        auto p = item.value();
        const bool isBias = item.key().find("bias") != std::string::npos;
        if (isBias && zeroBiases) p.zero_();
        else p.add_(0.1 * torch::randn_like(p));
    }
    return m;
}

// A voiced-like clip: harmonics under an envelope plus a little noise.
inline std::vector<float> testClip(int64_t T, uint64_t seed = 1) {
    std::vector<float> x(T);
    uint64_t state = seed * 2654435761u + 1;
    for (int64_t i = 0; i < T; ++i) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        const double noise = (double(state >> 11) / double(1ull << 53) - 0.5) * 0.02;
        const double t = double(i) / 16000.0, env = std::exp(-std::pow((t - 0.12) / 0.05, 2));
        x[i] = float(env * (0.5 * std::sin(2 * M_PI * 180 * t) + 0.25 * std::sin(2 * M_PI * 360 * t + 1.0)) + noise);
    }
    return x;
}

inline s4scope::Explanation run(const s4scope::Model& m, const std::vector<float>& clip, const std::string& method,
                                s4scope::MethodParams params = {}, int64_t target = -1, uint64_t seed = 0) {
    s4scope::ExplainRequest r;
    r.method = method;
    r.params = std::move(params);
    r.target = target;
    r.seed = seed;
    return s4scope::explain(m, clip, r);
}

inline double sum(const std::vector<float>& v) {
    double s = 0;
    for (float f : v) s += f;
    return s;
}

}  // namespace s4test
