#pragma once
// Every clip a data set holds, decided before any audio is made: voice, word, rate, pitch, split
// and file name. Each clip's random choices come from its own seed (see rng.h), so a subset
// (one split, a limit) holds the same clips as the full build.
#include <cstdint>
#include <string>
#include <vector>

#include "dataset_options.h"
#include "voice_catalogue.h"

namespace s4scope::train {

struct PlannedClip {
    VoiceSpec voice;
    std::string word;
    int label = 0;
    double rate = 0, pitch = 0;  // as in ManifestEntry
    std::string split;
    std::string path;    // relative to the data set's folder
    uint64_t seed = 0;   // for the clip's own choices (peak level, offset)
};

// The clips of the requested splits, in voice, word, rendition order; with options.limit > 0 a
// seeded random selection of that many, balanced over words.
std::vector<PlannedClip> planDataset(const DatasetOptions& options, const std::vector<VoiceSpec>& voices,
                                     const std::vector<std::string>& words);

}  // namespace s4scope::train
