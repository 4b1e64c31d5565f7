#include "dataset_plan.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "rng.h"
#include "s4scope/error.h"
#include "voice_split.h"

namespace s4scope::train {
namespace {

std::string fileSafe(const std::string& s) {
    std::string out;
    for (char c : s) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '+') ? c : '_';
    return out;
}

std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

}  // namespace

std::vector<PlannedClip> planDataset(const DatasetOptions& options, const std::vector<VoiceSpec>& voices,
                                     const std::vector<std::string>& words) {
    for (const auto& s : options.splits)
        if (s != "train" && s != "validation" && s != "test")
            throw Error("unknown split '" + s + "' (expected train, validation or test)");
    const auto splitOf = assignSplits(voices, options);

    std::vector<PlannedClip> plan;
    for (const auto& voice : voices) {
        const std::string split = splitOf.at(voice.splitGroup());
        if (std::find(options.splits.begin(), options.splits.end(), split) == options.splits.end()) continue;
        const bool espeak = voice.engine == "espeak-ng" || voice.engine == "espeak";
        const bool festival = voice.engine == "festival";
        const auto& rates = espeak ? options.espeakRates : festival ? options.festivalStretches : options.fliteStretches;
        const auto& pitches = espeak ? options.espeakPitches : festival ? options.festivalPitches : options.flitePitches;
        const int renditions = voice.engine == "espeak-ng" ? options.espeakRenditions
                               : voice.engine == "espeak"  ? options.classicRenditions
                               : festival                  ? options.festivalRenditions
                                                           : options.fliteRenditions;
        if (rates.empty() || pitches.empty()) throw Error("the " + voice.engine + " rate and pitch lists must not be empty");

        for (size_t w = 0; w < words.size(); ++w) {
            // (rate, pitch) pairs without replacement from the grid.
            std::vector<std::pair<double, double>> grid;
            for (double r : rates)
                for (double p : pitches) grid.emplace_back(r, p);
            Rng rng(deriveSeed(options.seed, "grid:" + voice.name() + "/" + words[w]));
            shuffleInPlace(grid, rng);
            grid.resize(std::min<size_t>(grid.size(), size_t(std::max(renditions, 0))));
            std::sort(grid.begin(), grid.end());

            for (const auto& [rate, pitch] : grid) {
                PlannedClip c;
                c.voice = voice;
                c.word = words[w];
                c.label = int(w);
                c.rate = rate;
                c.pitch = pitch;
                c.split = split;
                const std::string stem = fileSafe(voice.name()) + "_r" + number(rate) + "_p" + number(pitch);
                c.path = split + "/" + words[w] + "/" + stem + ".wav";
                c.seed = deriveSeed(options.seed, "clip:" + c.path);
                plan.push_back(std::move(c));
            }
        }
    }
    if (options.limit > 0 && int64_t(plan.size()) > options.limit) {
        // A random selection, balanced over words: shuffle each word's clips, then deal round robin.
        std::vector<std::vector<size_t>> byWord(words.size());
        for (size_t i = 0; i < plan.size(); ++i) byWord[size_t(plan[i].label)].push_back(i);
        Rng rng(deriveSeed(options.seed, "limit"));
        for (auto& indices : byWord) shuffleInPlace(indices, rng);
        std::vector<size_t> chosen;
        for (size_t round = 0; int64_t(chosen.size()) < options.limit; ++round)
            for (const auto& indices : byWord)
                if (round < indices.size() && int64_t(chosen.size()) < options.limit) chosen.push_back(indices[round]);
        std::sort(chosen.begin(), chosen.end());
        std::vector<PlannedClip> subset;
        for (size_t i : chosen) subset.push_back(plan[i]);
        plan = std::move(subset);
    }
    return plan;
}

}  // namespace s4scope::train
