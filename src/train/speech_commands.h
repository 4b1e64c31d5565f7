#pragma once
// Google Speech Commands (v2) in its own layout: DIR/WORD/SPEAKER_nohash_N.wav for each word,
// DIR/validation_list.txt and DIR/testing_list.txt (paths relative to DIR, one per line) naming
// the clips of those splits (all others train), DIR/_background_noise_/*.wav. Only the model's
// words are read; the other word folders are speech that is none of them (babble for the
// trainer's noise). Plain C++: the trainer loads the audio.
#include <string>
#include <vector>

#include "manifest.h"

namespace s4scope::train {

struct SpeechCommandsData {
    std::vector<ManifestEntry> entries;     // paths relative to DIR; engine "speech-commands", voice = speaker
    std::vector<std::string> noiseFiles;    // _background_noise_/*.wav, absolute
    std::vector<std::string> otherSpeech;   // clips of words that are not labels, absolute (sorted)
};

// Throws Error naming the folder or file at fault: DIR missing, a label's folder missing or empty,
// a list file missing, a listed path that does not exist.
SpeechCommandsData readSpeechCommands(const std::string& dir, const std::vector<std::string>& labels);

}  // namespace s4scope::train
