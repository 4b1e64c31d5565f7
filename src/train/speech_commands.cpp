#include "speech_commands.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include "s4scope/error.h"

namespace s4scope::train {
namespace fs = std::filesystem;
namespace {

std::set<std::string> readList(const fs::path& file) {
    std::ifstream in(file);
    if (!in) throw Error(file.string() + ": missing (a Speech Commands folder has validation_list.txt and testing_list.txt)");
    std::set<std::string> paths;
    for (std::string line; std::getline(in, line);) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
        if (!line.empty()) paths.insert(line);
    }
    return paths;
}

std::vector<fs::path> wavsIn(const fs::path& dir) {
    std::vector<fs::path> out;
    std::error_code ec;
    for (const auto& f : fs::directory_iterator(dir, ec))
        if (f.is_regular_file() && f.path().extension() == ".wav") out.push_back(f.path());
    std::sort(out.begin(), out.end());
    return out;
}

// "0a7c2a8d_nohash_0.wav" -> "0a7c2a8d": Speech Commands names clips by speaker.
std::string speakerOf(const std::string& fileName) {
    const auto at = fileName.find("_nohash_");
    return at == std::string::npos ? fs::path(fileName).stem().string() : fileName.substr(0, at);
}

}  // namespace

SpeechCommandsData readSpeechCommands(const std::string& dirName, const std::vector<std::string>& labels) {
    const fs::path dir(dirName);
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw Error(dirName + ": not a folder (expected Google Speech Commands)");
    const auto validation = readList(dir / "validation_list.txt");
    const auto testing = readList(dir / "testing_list.txt");

    SpeechCommandsData data;
    std::set<std::string> seen;
    for (size_t label = 0; label < labels.size(); ++label) {
        const fs::path wordDir = dir / labels[label];
        if (!fs::is_directory(wordDir, ec))
            throw Error(wordDir.string() + ": missing (Speech Commands has a folder per word; this model needs '" +
                        labels[label] + "')");
        const auto files = wavsIn(wordDir);
        if (files.empty()) throw Error(wordDir.string() + ": no .wav clips");
        for (const auto& f : files) {
            ManifestEntry e;
            e.path = labels[label] + "/" + f.filename().string();
            e.word = labels[label];
            e.label = int(label);
            e.split = validation.count(e.path) ? "validation" : testing.count(e.path) ? "test" : "train";
            e.engine = "speech-commands";
            e.accent = speakerOf(f.filename().string());
            e.voice = e.engine + ":" + e.accent;
            data.entries.push_back(e);
            seen.insert(e.path);
        }
    }
    // A listed clip of one of our words that is not there is a damaged copy: say so.
    for (const auto* list : {&validation, &testing})
        for (const auto& path : *list) {
            const std::string word = path.substr(0, path.find('/'));
            if (std::find(labels.begin(), labels.end(), word) != labels.end() && !seen.count(path))
                throw Error((dir / path).string() + ": listed in " +
                            (list == &validation ? "validation_list.txt" : "testing_list.txt") + " but missing");
        }
    for (const auto& f : wavsIn(dir / "_background_noise_")) data.noiseFiles.push_back(f.string());
    for (const auto& sub : fs::directory_iterator(dir, ec)) {
        const std::string name = sub.path().filename().string();
        if (!sub.is_directory() || name.empty() || name[0] == '_' || name[0] == '.' ||
            std::find(labels.begin(), labels.end(), name) != labels.end())
            continue;
        for (const auto& f : wavsIn(sub.path())) data.otherSpeech.push_back(f.string());
    }
    std::sort(data.otherSpeech.begin(), data.otherSpeech.end());
    return data;
}

}  // namespace s4scope::train
