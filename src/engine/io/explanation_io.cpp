#include "s4scope/explanation_io.h"

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

namespace s4scope {
namespace {

std::string extensionOf(const std::string& path) {
    std::string ext = std::filesystem::path(path).extension().string();
    for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

std::ofstream openForWriting(const std::string& path) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(path + ": cannot open for writing");
    return out;
}

void finish(std::ofstream& out, const std::string& path) {
    out.flush();
    if (!out) throw Error(path + ": writing failed");
}

}  // namespace

std::string explanationJson(const ExplanationRecord& r) {
    const auto& e = r.explanation;
    nlohmann::json j;
    j["method"] = e.method;
    j["target"] = e.target;
    if (e.target >= 0 && e.target < static_cast<int64_t>(r.labels.size())) j["target_label"] = r.labels[e.target];
    j["logits"] = e.logits;
    j["labels"] = r.labels;
    j["params"] = e.params;
    j["elapsed_ms"] = e.elapsedMs;
    if (e.conservation) {
        const auto& c = *e.conservation;
        j["conservation"] = {{"reference", c.reference}, {"expected", c.expected}, {"total", c.total},
                             {"relative_error", c.relativeError()}};
        if (!c.layers.empty()) {
            auto& layers = j["conservation"]["layers"] = nlohmann::json::array();
            for (const auto& [step, total] : c.layers) layers.push_back({{"step", step}, {"total", total}});
        }
    }
    j["sample_rate"] = r.sampleRate;
    j["input"] = r.input;
    j["offset_s"] = r.offsetSeconds;
    j["model"] = r.model;
    j["relevance"] = e.relevance;
    return j.dump() + "\n";
}

void writeNpy(const std::string& path, const std::vector<float>& values, const std::vector<size_t>& shape) {
    std::string dims;
    for (size_t d : shape) dims += std::to_string(d) + ", ";
    if (!shape.empty()) dims.resize(dims.size() - (shape.size() > 1 ? 2 : 1));  // numpy: (16000,), (163, 201)
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
    // Magic (6) + version (2) + length (2) + header + newline, padded to a multiple of 64.
    const size_t unpadded = 10 + header.size() + 1;
    header.append((64 - unpadded % 64) % 64, ' ');
    header += '\n';
    auto out = openForWriting(path);
    const unsigned short len = static_cast<unsigned short>(header.size());
    out.write("\x93NUMPY\x01\x00", 8);
    const char lenBytes[2] = {static_cast<char>(len & 0xff), static_cast<char>(len >> 8)};
    out.write(lenBytes, 2);
    out << header;
    out.write(reinterpret_cast<const char*>(values.data()), static_cast<std::streamsize>(values.size() * sizeof(float)));
    finish(out, path);
}

void writeExplanation(const std::string& path, const ExplanationRecord& r) {
    const std::string ext = extensionOf(path);
    if (ext == ".json") {
        auto out = openForWriting(path);
        out << explanationJson(r);
        finish(out, path);
    } else if (ext == ".npy") {
        writeNpy(path, r.explanation.relevance, {r.explanation.relevance.size()});
    } else if (ext == ".csv") {
        auto out = openForWriting(path);
        out << "sample,time_s,amplitude,relevance\n";
        char line[128];
        for (size_t i = 0; i < r.explanation.relevance.size(); ++i) {
            const float amplitude = i < r.clip.size() ? r.clip[i] : 0.f;
            // x == 0 ? 0 : x: a negative zero would print as "-0".
            const float relevance = r.explanation.relevance[i];
            std::snprintf(line, sizeof line, "%zu,%.6f,%.9g,%.9g\n", i, r.offsetSeconds + double(i) / r.sampleRate,
                          amplitude == 0.f ? 0.0 : double(amplitude), relevance == 0.f ? 0.0 : double(relevance));
            out << line;
        }
        finish(out, path);
    } else {
        throw Error(path + ": unknown output format '" + ext + "' (use .json, .npy or .csv)");
    }
}

}  // namespace s4scope
