#include "s4scope/scan_io.h"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>

#include <nlohmann/json.hpp>

#include "s4scope/error.h"

namespace s4scope {
namespace {

std::string labelOf(const std::vector<std::string>& labels, int64_t classIndex) {
    return classIndex >= 0 && classIndex < int64_t(labels.size()) ? labels[size_t(classIndex)] : std::to_string(classIndex);
}

}  // namespace

std::string scanCsv(const ScanResult& r, const std::vector<std::string>& labels, bool timeline) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(4);
    if (timeline) {
        out << "start_s,end_s,label,probability,level_db,speech\n";
        for (const auto& w : r.windows)
            out << w.start << "," << w.start + r.windowSeconds << "," << labelOf(labels, w.classIndex) << "," << w.probability
                << "," << w.levelDb << "," << (w.speech ? 1 : 0) << "\n";
    } else {
        out << "label,start_s,end_s,peak_start_s,peak_probability,windows\n";
        for (const auto& d : r.detections)
            out << d.label << "," << d.start << "," << d.end << "," << d.peakStart << "," << d.peakProbability << ","
                << d.windows << "\n";
    }
    return out.str();
}

std::string scanJson(const ScanResult& r, const std::vector<std::string>& labels, const std::string& input,
                     const std::string& model, const ScanOptions& o) {
    nlohmann::json detections = nlohmann::json::array(), windows = nlohmann::json::array();
    for (const auto& d : r.detections)
        detections.push_back({{"label", d.label}, {"class", d.classIndex}, {"start_s", d.start}, {"end_s", d.end},
                              {"peak_start_s", d.peakStart}, {"peak_probability", d.peakProbability}, {"windows", d.windows}});
    for (const auto& w : r.windows)
        windows.push_back({{"start_s", w.start}, {"class", w.classIndex}, {"label", labelOf(labels, w.classIndex)},
                           {"probability", w.probability}, {"level_db", w.levelDb}, {"speech", w.speech}});
    const nlohmann::json j = {{"input", input}, {"model", model}, {"duration_s", r.duration}, {"sample_rate", r.sampleRate},
                              {"window_s", r.windowSeconds}, {"hop_s", r.hopSeconds}, {"threshold", o.threshold},
                              {"gate_db", o.gateDb}, {"min_run_s", o.minRunSeconds}, {"max_overlap", o.maxOverlap},
                              {"detections", detections},
                              {"windows", windows}};
    return j.dump(1) + "\n";
}

void writeScan(const std::string& path, const ScanResult& result, const std::vector<std::string>& labels,
               const std::string& input, const std::string& model, const ScanOptions& options) {
    std::string ext = std::filesystem::path(path).extension().string();
    for (auto& c : ext) c = char(std::tolower(static_cast<unsigned char>(c)));
    std::string text;
    if (ext == ".csv") text = scanCsv(result, labels);
    else if (ext == ".json") text = scanJson(result, labels, input, model, options);
    else throw Error(path + ": unknown scan format '" + ext + "' (use .csv or .json)");
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(path + ": cannot open for writing");
    out << text;
    out.flush();
    if (!out) throw Error(path + ": writing failed");
}

}  // namespace s4scope
