#include "dataset_builder.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <algorithm>
#include <fstream>
#include <set>

#include "babble_builder.h"
#include "classic_espeak_synthesiser.h"
#include "clip_renderer.h"
#include "dataset_plan.h"
#include "festival_synthesiser.h"
#include "s4scope/error.h"
#include "s4scope/model_config.h"
#include "voice_catalogue.h"
#include "voice_split.h"
#include "wav_writer.h"

namespace s4scope::train {
namespace fs = std::filesystem;
namespace {

void makeFolder(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec || !fs::is_directory(dir)) throw Error(dir.string() + ": cannot create this folder (" + ec.message() + ")");
}

std::string duration(double seconds) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%dm%02ds", int(seconds) / 60, int(seconds) % 60);
    return buf;
}

}  // namespace

std::vector<std::string> keywordList() { return ModelConfig::defaultLabels(); }

void listVoices(const DatasetOptions& options, std::ostream& out) {
    const auto voices = catalogueVoices(options);
    const auto splitOf = assignSplits(voices, options);
    for (const auto& v : voices) out << v.name() << '\t' << v.splitGroup() << '\t' << splitOf.at(v.splitGroup()) << '\n';
}

DatasetSummary buildDataset(const DatasetOptions& options, std::ostream* progress) {
    const auto start = std::chrono::steady_clock::now();
    const auto elapsed = [&] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    const fs::path root(options.outDir);
    makeFolder(root);

    const auto voices = catalogueVoices(options);
    const auto plan = planDataset(options, voices, keywordList());
    if (progress)
        *progress << "dataset: " << voices.size() << " voices, " << plan.size() << " clips -> " << root.string()
                  << std::endl;

    // Festival runs once per voice for all its words (a process start costs seconds).
    std::map<std::string, std::vector<std::pair<std::string, double>>> festivalRequests;
    for (const auto& clip : plan)
        if (clip.voice.engine == "festival") {
            auto& requests = festivalRequests[clip.voice.accent];
            const std::pair<std::string, double> r{clip.word, clip.rate};
            if (std::find(requests.begin(), requests.end(), r) == requests.end()) requests.push_back(r);
        }
    for (const auto& [voice, requests] : festivalRequests) {
        if (progress) *progress << "dataset: festival " << voice << ": " << requests.size() << " words" << std::endl;
        FestivalSynthesiser::instance().prefetch(voice, requests);
    }

    std::vector<ClassicEspeakSynthesiser::Request> classicRequests;
    for (const auto& clip : plan)
        if (clip.voice.engine == "espeak")
            classicRequests.emplace_back(clip.word, clip.voice.accent, clip.voice.variant, int(std::lround(clip.rate)),
                                         int(std::lround(clip.pitch)));
    if (!classicRequests.empty()) {
        if (progress) *progress << "dataset: classic espeak: " << classicRequests.size() << " words" << std::endl;
        ClassicEspeakSynthesiser::instance().prefetch(classicRequests);
    }

    DatasetSummary summary;
    std::set<std::string> madeFolders;
    std::map<std::string, std::set<std::string>> voicesOf;
    int64_t nextReport = 0;
    for (size_t i = 0; i < plan.size(); ++i) {
        const PlannedClip& clip = plan[i];
        const PlacedWord placed = renderClip(clip, options);
        const fs::path file = root / clip.path;
        if (madeFolders.insert(file.parent_path().string()).second) makeFolder(file.parent_path());
        writeWav16(file.string(), placed.clip, options.sampleRate);

        ManifestEntry e;
        e.path = clip.path;
        e.word = clip.word;
        e.label = clip.label;
        e.split = clip.split;
        e.voice = clip.voice.name();
        e.engine = clip.voice.engine;
        e.accent = clip.voice.accent;
        e.variant = clip.voice.variant;
        e.rate = clip.rate;
        e.pitch = clip.pitch;
        e.offset = placed.offset;
        e.length = placed.length;
        summary.entries.push_back(e);
        summary.clipsPerSplit[clip.split]++;
        voicesOf[clip.split].insert(e.voice);
        if (placed.length >= options.clipLength) summary.truncated++;

        const int64_t done = int64_t(i) + 1;
        if (progress && (done >= nextReport || done == int64_t(plan.size()))) {
            const double t = elapsed(), rate = done / std::max(t, 1e-9);
            *progress << "dataset: " << done << "/" << plan.size() << " clips (" << (100 * done / int64_t(plan.size()))
                      << "%), " << int(rate) << " clips/s, ETA " << duration((plan.size() - done) / rate) << std::endl;
            nextReport = done + std::max<int64_t>(1, int64_t(plan.size()) / 20);
        }
    }
    for (const auto& [split, names] : voicesOf) summary.voicesPerSplit[split] = int64_t(names.size());
    if (std::find(options.splits.begin(), options.splits.end(), "train") != options.splits.end()) {
        summary.babble = buildBabble(options, voices, assignSplits(voices, options), root.string());
        if (progress) *progress << "dataset: " << summary.babble.size() << " babble sentences" << std::endl;
    }

    writeManifest((root / "manifest.csv").string(), summary.entries);
    {
        const std::string path = (root / "dataset.json").string();
        std::ofstream out(path);
        if (!(out << options.toJson() << '\n')) throw Error(path + ": cannot be written");
    }
    summary.seconds = elapsed();
    if (progress) {
        for (const auto& [split, n] : summary.clipsPerSplit)
            *progress << "dataset: " << split << ": " << n << " clips, " << summary.voicesPerSplit[split] << " voices"
                      << std::endl;
        if (summary.truncated) *progress << "dataset: " << summary.truncated << " words were longer than a clip and cut" << std::endl;
        *progress << "dataset: done in " << duration(summary.seconds) << std::endl;
    }
    return summary;
}

}  // namespace s4scope::train
