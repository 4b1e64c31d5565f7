#include "tf_output.h"

#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "s4scope/error.h"

namespace s4scope::cli {
namespace {

std::string lowerExtension(const std::string& path) {
    std::string ext = std::filesystem::path(path).extension().string();
    for (auto& c : ext) c = char(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

// PATH without its extension, then SUFFIX: x.npy -> x.tf_relevance.npy.
std::string sidecar(const std::string& path, const std::string& suffix) {
    std::filesystem::path p(path);
    return (p.parent_path() / (p.stem().string() + suffix)).string();
}

std::vector<float> asFloats(const std::vector<double>& v) { return std::vector<float>(v.begin(), v.end()); }

}  // namespace

signal::TfRelevance tfRelevanceOf(const ExplanationRecord& record, double epsilon) {
    try {
        return signal::timeFrequencyRelevance(record.clip, record.explanation.relevance, record.sampleRate, {epsilon});
    } catch (const std::invalid_argument& e) {
        throw Error(record.input + ": " + e.what());
    }
}

nlohmann::json tfFields(const signal::TfRelevance& tf, double epsilon) {
    nlohmann::json j;
    auto& rows = j["tf_relevance"] = nlohmann::json::array();
    for (int t = 0; t < tf.frames; ++t)
        rows.push_back(std::vector<double>(tf.values.begin() + long(t) * tf.bins, tf.values.begin() + long(t + 1) * tf.bins));
    j["tf_times_s"] = tf.frameTimes();
    j["tf_frequencies_hz"] = tf.binFrequencies();
    j["tf_frequency_profile"] = tf.frequencyProfile();
    // NaN (no relevance at all to take a share of) is written as null.
    j["tf_conservation"] = {{"share", tf.conservationShare()},
                            {"lost_share_at_zero", tf.lostShareAtZero()},
                            {"sample_total", tf.sampleTotal},
                            {"tf_total", tf.tfTotal},
                            {"epsilon", epsilon},
                            {"window_samples", tf.windowSamples},
                            {"hop_samples", tf.hopSamples},
                            {"fft_size", tf.fftSize}};
    return j;
}

std::vector<std::string> writeExplanationWithTf(
    const std::string& path, const ExplanationRecord& record, const signal::TfRelevance& tf, double epsilon,
    const std::function<void(const std::string&, const std::function<void(const std::string&)>&)>& write) {
    const std::string ext = lowerExtension(path);
    std::vector<std::string> extra;
    if (ext == ".json") {
        nlohmann::json j = nlohmann::json::parse(explanationJson(record));
        j.update(tfFields(tf, epsilon));
        write(path, [&](const std::string& p) {
            std::ofstream out(p, std::ios::binary | std::ios::trunc);
            out << j.dump() << "\n";
            out.flush();
            if (!out) throw Error(p + ": writing failed");
        });
        return extra;
    }
    write(path, [&](const std::string& p) { writeExplanation(p, record); });  // refuses unknown extensions
    if (ext == ".npy") {
        const std::vector<std::pair<std::string, std::pair<std::vector<float>, std::vector<size_t>>>> arrays{
            {".tf_relevance.npy", {asFloats(tf.values), {size_t(tf.frames), size_t(tf.bins)}}},
            {".tf_times_s.npy", {asFloats(tf.frameTimes()), {size_t(tf.frames)}}},
            {".tf_frequencies_hz.npy", {asFloats(tf.binFrequencies()), {size_t(tf.bins)}}}};
        for (const auto& [suffix, array] : arrays) {
            const std::string file = sidecar(path, suffix);
            write(file, [&](const std::string& p) { writeNpy(p, array.first, array.second); });
            extra.push_back(file);
        }
    } else if (ext == ".csv") {
        const std::string file = sidecar(path, ".tf.csv");
        write(file, [&](const std::string& p) {
            std::ofstream out(p, std::ios::binary | std::ios::trunc);
            out << "frame,time_s,bin,frequency_hz,relevance\n";
            char line[160];
            for (int t = 0; t < tf.frames; ++t)
                for (int f = 0; f < tf.bins; ++f) {
                    std::snprintf(line, sizeof line, "%d,%.6f,%d,%.3f,%.9g\n", t, tf.frameTime(t), f, tf.binFrequency(f), tf.at(t, f));
                    out << line;
                }
            out.flush();
            if (!out) throw Error(p + ": writing failed");
        });
        extra.push_back(file);
    }
    return extra;
}

}  // namespace s4scope::cli
