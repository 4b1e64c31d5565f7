#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <sstream>

#include <nlohmann/json.hpp>

#include "io/input_limits.h"
#include "s4scope/error.h"
#include "s4scope/model_config.h"

namespace s4scope {
namespace {

using json = nlohmann::json;

// Sizes beyond these are refused before anything is allocated: they are far above any audio
// classifier this tool explains, and a typo (an extra zero) should not exhaust memory.
constexpr int64_t kMaxModel = 4096;
constexpr int64_t kMaxState = 4096;
constexpr int64_t kMaxLayers = 64;
constexpr int64_t kMaxSeqLen = 16000 * 60;
constexpr int64_t kMaxClasses = 10000;
constexpr int64_t kMaxParameters = 200'000'000;
// Working memory the model's shapes imply, bounded before any tensor exists: one (H, L)
// activation per clip, and the (H, N/2, L) complex powers from which the S4D kernel is summed.
constexpr int64_t kMaxActivation = int64_t(1) << 22;    // H x L floats (16 MiB per clip)
constexpr int64_t kMaxKernelPowers = int64_t(1) << 23;  // H x N/2 x L complex (64 MiB)
// The audio loader's lowest rate; a model at a lower one could not be fed any clip.
constexpr int64_t kMinSampleRate = 1000;
constexpr int64_t kMaxSampleRate = 384000;

std::string shown(const json& v) { return s4scope::detail::abbreviated(v.dump()); }

// Finds a key under its canonical name or one alias; two spellings with different values are an error.
const json* lookup(const json& j, const std::vector<std::string>& names, const std::string& source) {
    const json* found = nullptr;
    std::string foundName;
    for (const auto& n : names) {
        auto it = j.find(n);
        if (it == j.end()) continue;
        if (found && *found != *it)
            throw Error(source + ": keys '" + foundName + "' and '" + n + "' disagree");
        if (!found) {
            found = &*it;
            foundName = n;
        }
    }
    return found;
}

int64_t readInt(const json& v, const std::string& key, const std::string& source) {
    if (v.is_number_unsigned() && v.get<uint64_t>() > uint64_t(INT64_MAX))
        throw Error(source + ": '" + key + "' is too large: " + shown(v));
    if (v.is_number_integer()) return v.get<int64_t>();
    if (v.is_number_float()) {
        // Range first: converting a double outside int64's range is undefined behaviour.
        const double d = v.get<double>();
        if (std::isfinite(d) && std::abs(d) < 1e15 && d == std::floor(d)) return static_cast<int64_t>(d);
    }
    throw Error(source + ": '" + key + "' must be an integer, got " + shown(v));
}

}  // namespace

std::vector<std::string> ModelConfig::defaultLabels() {
    return {"yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go"};
}

int64_t ModelConfig::parameterCount() const {
    const int64_t H = d_model, N2 = d_state / 2;
    const int64_t encoder = H * d_input * downsample + H;
    const int64_t perLayer = H /*D*/ + H /*log_dt*/ + H * N2 * 2 /*C*/ + 2 * H * N2 /*log_A_real, A_imag*/ +
                             2 * H * H + 2 * H /*output_linear*/ + 2 * H /*norm*/;
    const int64_t decoder = n_classes * H + n_classes;
    return encoder + n_layers * perLayer + decoder;
}

void ModelConfig::validate(const std::string& source) const {
    auto positive = [&](const char* key, int64_t v, int64_t max) {
        if (v <= 0) throw Error(source + ": '" + key + "' must be positive, got " + std::to_string(v));
        if (v > max)
            throw Error(source + ": '" + key + "' = " + std::to_string(v) + " is absurdly large (limit " +
                        std::to_string(max) + ")");
    };
    positive("d_input", d_input, 64);
    positive("d_state", d_state, kMaxState);
    positive("d_model", d_model, kMaxModel);
    positive("n_layers", n_layers, kMaxLayers);
    positive("seq_len", seq_len, kMaxSeqLen);
    positive("downsample", downsample, kMaxSeqLen);
    positive("n_classes", n_classes, kMaxClasses);
    positive("sample_rate", sample_rate, kMaxSampleRate);
    if (sample_rate < kMinSampleRate)
        throw Error(source + ": 'sample_rate' = " + std::to_string(sample_rate) + " Hz is below the lowest supported rate (" +
                    std::to_string(kMinSampleRate) + " Hz)");
    if (d_input != 1)
        throw Error(source + ": 'd_input' must be 1 (s4scope explains mono audio), got " + std::to_string(d_input));
    if (d_state % 2 != 0)
        throw Error(source + ": 'd_state' must be even (N/2 complex modes), got " + std::to_string(d_state));
    if (seq_len % downsample != 0)
        throw Error(source + ": 'seq_len' (" + std::to_string(seq_len) + ") is not divisible by 'downsample' (" +
                    std::to_string(downsample) + ")");
    if (parameterCount() > kMaxParameters)
        throw Error(source + ": the model would have " + std::to_string(parameterCount()) +
                    " parameters, more than the limit of " + std::to_string(kMaxParameters));
    // Products of values each within its limit: at most 2^12 x 2^11 x 2^20, no overflow.
    const int64_t L = seq_len / downsample;
    if (d_model * L > kMaxActivation)
        throw Error(source + ": 'd_model' x 'seq_len'/'downsample' = " + std::to_string(d_model) + " x " +
                    std::to_string(L) + " values per activation exceeds the limit of " + std::to_string(kMaxActivation));
    if (d_model * (d_state / 2) * L > kMaxKernelPowers)
        throw Error(source + ": computing the S4D kernel needs 'd_model' x 'd_state'/2 x L = " + std::to_string(d_model) +
                    " x " + std::to_string(d_state / 2) + " x " + std::to_string(L) + " complex values, more than the limit of " +
                    std::to_string(kMaxKernelPowers));
    if (static_cast<int64_t>(labels.size()) != n_classes)
        throw Error(source + ": 'labels' has " + std::to_string(labels.size()) + " entries but 'n_classes' is " +
                    std::to_string(n_classes));
}

ModelConfig ModelConfig::fromJson(const std::string& text, const std::string& source) {
    if (text.size() > s4scope::detail::kMaxConfigBytes)
        throw Error(source + ": a model config larger than 1 MiB is not a config");
    const std::string tooDeep = s4scope::detail::jsonNestingProblem(text);
    if (!tooDeep.empty()) throw Error(source + ": not a model config: " + tooDeep);
    json j;
    try {
        j = json::parse(text);
    } catch (const json::exception& e) {  // parse errors, and numbers out of range such as 1e400
        throw Error(source + ": not valid JSON: " + e.what());
    }
    if (!j.is_object()) throw Error(source + ": expected a JSON object at the top level");

    ModelConfig c;
    struct IntKey {
        int64_t* field;
        std::vector<std::string> names;
    };
    const IntKey keys[] = {
        {&c.d_input, {"d_input", "input_dim"}},
        {&c.d_state, {"d_state", "state_dim"}},
        {&c.d_model, {"d_model", "hidden_dim"}},
        {&c.n_layers, {"n_layers", "num_layers", "layers"}},
        {&c.downsample, {"downsample", "stride", "downsample_stride"}},
        {&c.seq_len, {"seq_len", "input_length"}},
        {&c.n_classes, {"n_classes", "num_classes", "output_dim"}},
    };
    for (const auto& k : keys)
        if (const json* v = lookup(j, k.names, source)) *k.field = readInt(*v, k.names.front(), source);

    if (const json* v = lookup(j, {"prenorm"}, source)) {
        if (!v->is_boolean()) throw Error(source + ": 'prenorm' must be true or false, got " + shown(*v));
        c.prenorm = v->get<bool>();
    }
    if (const json* v = lookup(j, {"sample_rate"}, source)) {
        int64_t sr = readInt(*v, "sample_rate", source);
        if (sr < kMinSampleRate || sr > kMaxSampleRate)
            throw Error(source + ": 'sample_rate' must be in " + std::to_string(kMinSampleRate) + ".." +
                        std::to_string(kMaxSampleRate) + " Hz, got " + shown(*v));
        c.sample_rate = static_cast<int>(sr);
    }
    if (const json* v = lookup(j, {"labels"}, source)) {
        if (!v->is_array()) throw Error(source + ": 'labels' must be an array of strings");
        c.labels.clear();
        for (const auto& l : *v) {
            if (!l.is_string()) throw Error(source + ": 'labels' must be an array of strings, found " + shown(l));
            c.labels.push_back(l.get<std::string>());
        }
    } else if (c.n_classes != 10) {
        // The default names fit only ten classes; number the others so every class has a name.
        c.labels.clear();
        for (int64_t i = 0; i < c.n_classes && i <= kMaxClasses; ++i) c.labels.push_back("class " + std::to_string(i));
    }
    c.validate(source);
    return c;
}

ModelConfig ModelConfig::fromFile(const std::string& path) {
    // Regular files of at most 1 MiB only: /dev/zero, a FIFO or a huge file is refused up front.
    return fromJson(s4scope::detail::readSmallFile(path, "Model config", s4scope::detail::kMaxConfigBytes), path);
}

std::string ModelConfig::toJson() const {
    json j = {{"d_input", d_input},   {"d_state", d_state},     {"d_model", d_model},
              {"n_layers", n_layers}, {"downsample", downsample}, {"seq_len", seq_len},
              {"n_classes", n_classes}, {"prenorm", prenorm},   {"labels", labels},
              {"sample_rate", sample_rate}};
    return j.dump(2) + "\n";
}

void ModelConfig::writeFile(const std::string& path) const {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(path + ": cannot write the model config");
    out << toJson();
    if (!out) throw Error(path + ": writing the model config failed");
}

}  // namespace s4scope
