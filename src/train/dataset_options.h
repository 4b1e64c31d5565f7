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
    std::vector<std::string> accents;          // espeak-ng gmw/ English accents, e.g. en-US
    std::vector<std::string> variants;         // espeak-ng !v variants, e.g. f3; the accent's own voice is "default"
    std::vector<std::string> classicAccents;   // classic espeak English voices, e.g. en-sc
    std::vector<std::string> classicVariants;  // classic espeak !v variants; "default" is the accent's own voice
    std::vector<std::string> fliteVoices;      // kal, kal16, awb, rms, slt
    std::vector<std::string> festivalVoices;   // Festival's non-English voices, e.g. czech_ph (never English ones)

    // Speaking rates and pitches: each voice says each word `renditions` times, with (rate, pitch)
    // pairs drawn without replacement from the grid of these values.
    std::vector<double> espeakRates = {120, 145, 170, 195, 220};  // words per minute (both espeaks)
    std::vector<double> espeakPitches = {20, 35, 50, 65, 80};     // 0..99, 50 = the voice's own
    int espeakRenditions = 1;
    int classicRenditions = 2;
    // flite and Festival have few voices: finer grids, all or most of them spoken.
    std::vector<double> fliteStretches = {0.8, 0.87, 0.93, 1.0, 1.08, 1.17, 1.3};  // duration stretch (> 1 slower)
    std::vector<double> flitePitches = {0.8, 0.87, 0.93, 1.0, 1.08, 1.16, 1.25};   // factor on the voice's mean f0
    int fliteRenditions = 49;
    std::vector<double> festivalStretches = {0.8, 0.9, 1.0, 1.1, 1.2, 1.35};  // Festival's Duration_Stretch
    std::vector<double> festivalPitches = {-4, -2, 0, 2, 4};  // semitones, formants kept (formant_warp.h)
    int festivalRenditions = 30;

    // Split by speaker (voice_split.h). espeak-ng and classic espeak: these fractions of the
    // variants (each with all its accents, in both engines) go to validation and test, drawn
    // separately among the variants classic espeak also has and those only espeak-ng has; flite
    // and Festival: these numbers of whole speakers.
    double validationFraction = 0.1;
    double testFraction = 0.1;
    int fliteValidation = 0, fliteTest = 1;
    int festivalValidation = 2, festivalTest = 3;

    std::vector<std::string> splits = {"train", "validation", "test"};  // which to write
    int64_t limit = 0;  // > 0: only this many clips, a seeded selection balanced over words

    int sampleRate = 16000;
    int64_t clipLength = 16000;
    double minPeak = 0.25, maxPeak = 0.9;  // each clip's peak level, drawn per clip

    // Babble for the trainer's noise: sentences without any keyword, spoken by training voices.
    int babbleSentences = 120;

    std::string toJson() const;
    // Unknown keys are ignored; missing keys keep their defaults. Throws Error naming `source`.
    static DatasetOptions fromJson(const std::string& json, const std::string& source);
};

}  // namespace s4scope::train
