#pragma once
// Babble for the trainer's background noise: sentences that contain none of the ten keywords,
// each spoken by a training voice (never a held-out one) of espeak-ng, classic espeak or flite.
// Written to OUT/babble/NNN.wav (16 kHz); the trainer overlays several of them at once.
#include <map>
#include <string>
#include <vector>

#include "dataset_options.h"
#include "voice_catalogue.h"

namespace s4scope::train {

// The sentences; none holds a keyword as a word (tests check this).
const std::vector<std::string>& babbleSentences();

// Writes options.babbleSentences files into root/babble and returns their paths relative to root.
// `splitOf` is assignSplits' answer: only groups it puts in "train" speak.
std::vector<std::string> buildBabble(const DatasetOptions& options, const std::vector<VoiceSpec>& voices,
                                     const std::map<std::string, std::string>& splitOf, const std::string& root);

}  // namespace s4scope::train
