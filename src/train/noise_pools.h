#pragma once
// The recordings the trainer's babble and file noises draw from (noise_sources.h).
#include <string>
#include <vector>

#include "noise_sources.h"

namespace s4scope::train {

// A data set of s4scope-dataset: its babble/*.wav sentences (none when the folder is missing).
NoisePools datasetNoisePools(const std::string& dataDir);

// Speech Commands: `otherSpeech` clips (words that are no label; at most `maxBabble`, a seeded
// choice) as babble, `noiseFiles` as file noise. Throws Error naming an unreadable file.
NoisePools speechCommandsNoisePools(const std::vector<std::string>& otherSpeech,
                                    const std::vector<std::string>& noiseFiles, size_t maxBabble, uint64_t seed);

}  // namespace s4scope::train
