#pragma once
// The data set's index: one CSV row per clip (manifest.csv beside the split folders).
#include <cstdint>
#include <string>
#include <vector>

namespace s4scope::train {

struct ManifestEntry {
    std::string path;     // relative to the data set's folder: SPLIT/WORD/VOICE_rRATE_pPITCH.wav
    std::string word;
    int label = 0;        // index into the model's labels
    std::string split;    // train, validation or test
    std::string voice;    // "espeak-ng:en-US+f3", "espeak:en-sc", "flite:kal", "festival:czech_ph"
    std::string engine;   // espeak-ng, espeak (classic), flite, festival; speech-commands for that data set
    std::string accent;   // espeak accent, or the flite / Festival voice
    std::string variant;  // espeak variant ("" for the accent's own voice); "" for the others
    double rate = 0;      // espeaks: words per minute; flite, Festival: duration stretch
    double pitch = 0;     // espeaks: 0..99 (50 = the voice's own); flite: factor on the voice's mean f0;
                          // Festival: semitones
    int64_t offset = 0;   // where the word starts in the clip, samples
    int64_t length = 0;   // the word's length, samples
};

void writeManifest(const std::string& path, const std::vector<ManifestEntry>& entries);
// Throws Error naming the file and line for a malformed manifest.
std::vector<ManifestEntry> readManifest(const std::string& path);

}  // namespace s4scope::train
