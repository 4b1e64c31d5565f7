#include <cctype>
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
// activation per clip (the S4D kernel's powers are summed a block of channels at a time), and
// for S4 (dplr) the dense discretised state matrices, H of N x N complex128.
constexpr int64_t kMaxActivation = int64_t(1) << 22;      // H x L floats (16 MiB per clip)
constexpr int64_t kMaxDenseStateMatrices = int64_t(1) << 25;  // H x N x N (512 MiB)
constexpr int64_t kMaxRank = 16;
// Work per kernel, bounded so a config cannot make loading take minutes: H x N/2 x L terms of the
// Vandermonde sum (S4D) or of the Cauchy sum (S4, about L/2 nodes but four sums).
constexpr int64_t kMaxKernelTerms = int64_t(1) << 28;
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

// The spellings a name may take (the state-spaces code's among them) and the canonical name.
struct Spelling {
    const char* canonical;
    std::vector<std::string> spellings;
};

std::string readChoice(const json& v, const std::string& key, const std::vector<Spelling>& choices,
                       const std::string& source) {
    std::string known;
    if (v.is_string()) {
        std::string text = v.get<std::string>();
        for (auto& ch : text) ch = char(std::tolower(static_cast<unsigned char>(ch)));
        for (const auto& c : choices)
            for (const auto& sp : c.spellings)
                if (text == sp) return c.canonical;
    }
    for (const auto& c : choices)
        for (const auto& sp : c.spellings) known += (known.empty() ? "" : ", ") + sp;
    throw Error(source + ": '" + key + "' must be one of " + known + "; got " + shown(v));
}

const std::vector<Spelling> kTransforms = {
    {"none", {"none", "id", "identity"}}, {"exp", {"exp"}}, {"relu", {"relu"}},
    {"sigmoid", {"sigmoid"}},             {"softplus", {"softplus"}}};

// Options of the state-spaces code that change the network beyond what s4scope builds: refused by
// name rather than silently ignored (a model built without them would compute something else).
void refuseUnsupported(const json& j, const std::string& source) {
    auto refuse = [&](const char* key, const char* why) {
        throw Error(source + ": '" + key + "' = " + shown(j.at(key)) + " is not supported (" + why + ")");
    };
    auto differs = [&](const char* key, const json& plain) { return j.contains(key) && !j.at(key).is_null() && j.at(key) != plain; };
    if (differs("channels", 1)) refuse("channels", "one kernel per channel only");
    if (differs("bidirectional", false)) refuse("bidirectional", "causal kernels only");
    if (differs("dt_fast", false)) refuse("dt_fast", "dt is stored under dt_transform");
    if (j.contains("bandlimit") && !j.at("bandlimit").is_null()) refuse("bandlimit", "no kernel band limit");
    if (differs("is_real", false)) refuse("is_real", "complex diagonal state matrices only");
    if (j.contains("gate") && !j.at("gate").is_null()) refuse("gate", "S4Block without gating");
    if (j.contains("bottleneck") && !j.at("bottleneck").is_null()) refuse("bottleneck", "S4Block without bottleneck");
    if (differs("activation", "gelu")) refuse("activation", "GELU after the convolution");
    if (differs("final_act", "glu")) refuse("final_act", "a GLU output layer");
}

}  // namespace

std::vector<std::string> ModelConfig::defaultLabels() {
    return {"yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go"};
}

int64_t ModelConfig::parameterCount() const {
    const int64_t H = d_model, N2 = d_state / 2;
    const int64_t encoderSize = H * d_input * downsample + H;  // a Linear encoder is the S = 1 case
    int64_t perLayer = H /*D*/ + H /*log_dt*/ + H * N2 * 2 /*C*/ + 2 * H * N2 /*log_A_real, A_imag*/ +
                       2 * H * H + 2 * H /*output_linear*/ + 2 * H /*norm*/;
    if (s4.layer == "s4block") {
        const int64_t S = s4.n_ssm > 0 ? s4.n_ssm : H;
        perLayer = H /*D*/ + (s4.dt_tie ? H : H * N2) /*inv_dt*/ + H * N2 * 2 /*C*/ + S * N2 * 2 /*B*/ +
                   2 * S * N2 /*A_real, A_imag*/ + 2 * H * H + 2 * H /*output_linear*/ + 2 * H /*norm*/;
        if (s4.mode == "dplr") perLayer += s4.rank * S * N2 * 2 /*P*/ + 1 /*l_kernel*/;
    }
    const int64_t decoder = n_classes * H + n_classes;
    return encoderSize + n_layers * perLayer + decoder;
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
    if (!(rate > 0) || rate > 1000) throw Error(source + ": 'rate' must be a positive number (at most 1000)");
    if (d_model * (d_state / 2) * L > kMaxKernelTerms)
        throw Error(source + ": computing the S4 kernel takes 'd_model' x 'd_state'/2 x L = " + std::to_string(d_model) +
                    " x " + std::to_string(d_state / 2) + " x " + std::to_string(L) + " terms, more than the limit of " +
                    std::to_string(kMaxKernelTerms));
    validateLayer(source);
    if (static_cast<int64_t>(labels.size()) != n_classes)
        throw Error(source + ": 'labels' has " + std::to_string(labels.size()) + " entries but 'n_classes' is " +
                    std::to_string(n_classes));
}

void ModelConfig::validateLayer(const std::string& source) const {
    const auto& o = s4;
    auto fail = [&](const std::string& why) { throw Error(source + ": " + why); };
    if (encoder != "conv" && encoder != "linear") fail("'encoder' must be conv or linear, got '" + encoder + "'");
    if (encoder == "linear" && downsample != 1)
        fail("a linear encoder (example.py's backbone) reads every sample: 'downsample' must be 1, got " +
             std::to_string(downsample));
    if (o.layer != "s4d" && o.layer != "s4block") fail("'layer' must be s4d or s4block, got '" + o.layer + "'");
    if (o.mode != "diag" && o.mode != "dplr") fail("'mode' must be diag or dplr, got '" + o.mode + "'");
    if (o.disc != "zoh" && o.disc != "bilinear") fail("'disc' must be zoh or bilinear, got '" + o.disc + "'");
    for (const auto* t : {&o.real_transform, &o.imag_transform, &o.dt_transform})
        if (*t != "none" && *t != "exp" && *t != "relu" && *t != "sigmoid" && *t != "softplus")
            fail("transforms must be none, exp, relu, sigmoid or softplus, got '" + *t + "'");
    if (o.layer == "s4d") {
        // s4d.py's names fix the parameterisation: log_dt, log_A_real (exp), A_imag (as is).
        if (o.mode != "diag") fail("the s4d layer (s4d.py) has a diagonal kernel only; use layer s4block for mode dplr");
        if (o.real_transform != "exp" || o.imag_transform != "none" || o.dt_transform != "exp")
            fail("the s4d layer (s4d.py) stores log_dt and log_A_real: its transforms are fixed (use layer s4block)");
        if ((o.n_ssm != 0 && o.n_ssm != d_model) || !o.dt_tie)
            fail("the s4d layer (s4d.py) has one SSM per channel and one dt per channel (use layer s4block)");
    }
    if (o.n_ssm < 0 || (o.n_ssm > 0 && d_model % o.n_ssm != 0))
        fail("'n_ssm' must divide 'd_model' (" + std::to_string(d_model) + "), got " + std::to_string(o.n_ssm));
    if (o.l_max < 0 || o.l_max > kMaxSeqLen) fail("'l_max' must be in 0.." + std::to_string(kMaxSeqLen));
    if (o.mode == "dplr") {
        if (o.rank < 1 || o.rank > kMaxRank)
            fail("'rank' must be in 1.." + std::to_string(kMaxRank) + ", got " + std::to_string(o.rank));
        if (!o.dt_tie) fail("mode dplr needs one dt per channel ('dt_tie' true)");
        if (d_model * d_state * d_state > kMaxDenseStateMatrices)
            fail("mode dplr forms 'd_model' dense 'd_state' x 'd_state' state matrices: " + std::to_string(d_model) + " x " +
                 std::to_string(d_state) + "^2 exceeds the limit of " + std::to_string(kMaxDenseStateMatrices));
    }
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
    refuseUnsupported(j, source);
    if (const json* v = lookup(j, {"encoder", "backbone", "encoder_type"}, source)) {
        c.encoder = readChoice(*v, "encoder", {{"conv", {"conv", "conv1d", "card", "strided"}},
                                               {"linear", {"linear", "example", "example.py", "s4model"}}}, source);
        if (c.encoder == "linear" && !lookup(j, {"downsample", "stride", "downsample_stride"}, source)) c.downsample = 1;
    }
    if (const json* v = lookup(j, {"layer", "layer_type", "block"}, source))
        c.s4.layer = readChoice(*v, "layer", {{"s4d", {"s4d"}}, {"s4block", {"s4block", "s4", "fftconv"}}}, source);
    if (const json* v = lookup(j, {"mode", "kernel"}, source))
        c.s4.mode = readChoice(*v, "mode", {{"diag", {"diag", "s4d", "diagonal"}}, {"dplr", {"dplr", "nplr", "s4"}}}, source);
    else if (c.s4.layer == "s4block")
        c.s4.mode = "dplr";  // FFTConv's default
    if (const json* v = lookup(j, {"disc", "discretization", "discretisation"}, source))
        c.s4.disc = readChoice(*v, "disc", {{"zoh", {"zoh"}}, {"bilinear", {"bilinear"}}}, source);
    if (const json* v = lookup(j, {"real_transform"}, source)) c.s4.real_transform = readChoice(*v, "real_transform", kTransforms, source);
    if (const json* v = lookup(j, {"imag_transform"}, source)) c.s4.imag_transform = readChoice(*v, "imag_transform", kTransforms, source);
    if (const json* v = lookup(j, {"dt_transform"}, source)) c.s4.dt_transform = readChoice(*v, "dt_transform", kTransforms, source);
    if (const json* v = lookup(j, {"n_ssm"}, source); v && !v->is_null()) c.s4.n_ssm = readInt(*v, "n_ssm", source);
    if (const json* v = lookup(j, {"rank"}, source)) c.s4.rank = readInt(*v, "rank", source);
    if (const json* v = lookup(j, {"l_max"}, source); v && !v->is_null()) c.s4.l_max = readInt(*v, "l_max", source);
    if (const json* v = lookup(j, {"dt_tie"}, source)) {
        if (!v->is_boolean()) throw Error(source + ": 'dt_tie' must be true or false, got " + shown(*v));
        c.s4.dt_tie = v->get<bool>();
    }
    if (const json* v = lookup(j, {"rate"}, source)) {
        if (!v->is_number() || !(v->get<double>() > 0) || v->get<double>() > 1000)
            throw Error(source + ": 'rate' must be a positive number (at most 1000), got " + shown(*v));
        c.rate = v->get<double>();
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
              {"sample_rate", sample_rate}, {"encoder", encoder}, {"layer", s4.layer}, {"mode", s4.mode}};
    if (rate != 1.0) j["rate"] = rate;
    // The kernel's options only where they mean something, so the card's config stays as it was.
    if (s4.layer == "s4block" || s4.disc != "zoh") j["disc"] = s4.disc;
    if (s4.layer == "s4block") {
        j["real_transform"] = s4.real_transform;
        j["imag_transform"] = s4.imag_transform;
        j["dt_transform"] = s4.dt_transform;
        j["n_ssm"] = s4.n_ssm > 0 ? s4.n_ssm : d_model;
        j["dt_tie"] = s4.dt_tie;
        if (s4.mode == "dplr") j["rank"] = s4.rank;
        if (s4.l_max > 0) j["l_max"] = s4.l_max;
    }
    return j.dump(2) + "\n";
}

void ModelConfig::writeFile(const std::string& path) const {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(path + ": cannot write the model config");
    out << toJson();
    if (!out) throw Error(path + ": writing the model config failed");
}

}  // namespace s4scope
