// The word's interval beside a clip: CLIP_STEM.word.json, written by scripts/make-sample-clips.sh
// for the bundled clips and by the app when the user marks the word on the waveform.
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "s4scope/evaluation.h"

namespace fs = std::filesystem;

namespace s4scope::evaluation {

std::string wordIntervalPath(const std::string& clipPath) {
    const fs::path p(clipPath);
    return (p.parent_path() / (p.stem().string() + ".word.json")).string();
}

std::optional<Interval> readWordInterval(const std::string& clipPath) {
    const std::string path = wordIntervalPath(clipPath);
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) return std::nullopt;
    if (fs::file_size(path, ec) > (1 << 20)) throw Error(path + ": not a word interval (larger than 1 MiB)");
    std::ifstream in(path);
    if (!in) throw Error(path + ": cannot be read");
    try {
        const auto j = nlohmann::json::parse(in);
        const Interval word{j.at("start").get<int64_t>(), j.at("end").get<int64_t>()};
        if (!(0 <= word.start && word.start < word.end))
            throw Error(path + ": the interval [" + std::to_string(word.start) + ", " + std::to_string(word.end) + ") is empty or negative");
        return word;
    } catch (const nlohmann::json::exception& e) {
        throw Error(path + ": not a word interval (" + e.what() + "; expected {\"start\": N, \"end\": M} in samples)");
    }
}

void writeWordInterval(const std::string& clipPath, const Interval& word, const std::string& label) {
    const std::string path = wordIntervalPath(clipPath);
    nlohmann::json j{{"start", word.start}, {"end", word.end}};
    if (!label.empty()) j["word"] = label;
    std::ofstream out(path);
    out << j.dump() << "\n";
    if (!out) throw Error(path + ": cannot be written");
}

}  // namespace s4scope::evaluation
