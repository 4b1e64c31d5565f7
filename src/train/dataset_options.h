#pragma once
// What the dataset builder synthesises. The defaults build the data set of the shipped model.
#include <cstdint>
#include <string>
#include <vector>

namespace s4scope::train {

struct DatasetOptions {
    std::string outDir = "keyword-data";
    uint64_t seed = 1;

    // Voices. Empty means every one the engine offers; {"none"} means none of that kind.
    std::vector<std::string> accents;      // espeak-ng gmw/ English accents, e.g. en-US
    std::vector<std::string> variants;     // espeak-ng !v variants, e.g. f3; the accent's own voice is "default"
    std::vector<std::string> fliteVoices;  // kal, kal16, awb, rms, slt

    // Speaking rates and pitches: each voice says each word `renditions` times, with (rate, pitch)
    // pairs drawn without replacement from the grid of these values.
    std::vector<double> espeakRates = {120, 145, 170, 195, 220};  // words per minute
    std::vector<double> espeakPitches = {20, 35, 50, 65, 80};     // 0..99, 50 = the voice's own
    int espeakRenditions = 2;
    // flite has few voices: a finer grid, all of it spoken.
    std::vector<double> fliteStretches = {0.8, 0.87, 0.93, 1.0, 1.08, 1.17, 1.3};  // duration stretch (> 1 slower)
    std::vector<double> flitePitches = {0.8, 0.87, 0.93, 1.0, 1.08, 1.16, 1.25};   // factor on the voice's mean f0
    int fliteRenditions = 49;

    // Split by voice: these fractions of the espeak-ng variants (each with all its accents) go to
    // validation and test; at least one of each when the fraction is > 0. flite, with only four
    // speakers, holds none out (see voice_split.h).
    double validationFraction = 0.1;
    double testFraction = 0.1;

    std::vector<std::string> splits = {"train", "validation", "test"};  // which to write
    int64_t limit = 0;  // > 0: only this many clips, a seeded selection balanced over words

    int sampleRate = 16000;
    int64_t clipLength = 16000;
    double minPeak = 0.25, maxPeak = 0.9;  // each clip's peak level, drawn per clip

    std::string toJson() const;
    // Unknown keys are ignored; missing keys keep their defaults. Throws Error naming `source`.
    static DatasetOptions fromJson(const std::string& json, const std::string& source);
};

}  // namespace s4scope::train
