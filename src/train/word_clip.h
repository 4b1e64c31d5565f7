#pragma once
// Turns a synthesised word into a fixed-length training clip: silence trimmed, peak normalised,
// placed at a chosen offset in an otherwise silent clip.
#include <cstdint>
#include <vector>

namespace s4scope::train {

// The samples between the first and the last 10 ms frame whose RMS is within `thresholdDb` of the
// loudest frame's, plus a 10 ms margin each side. With `noiseFloor`, frames within 10 dB of the
// quietest fifth of the frames are silence too (at most 20 dB below the loudest): for voices with
// a steady background hiss. Empty input gives empty output.
std::vector<float> trimSilence(const std::vector<float>& samples, int sampleRate, double thresholdDb = -40.0,
                               bool noiseFloor = false);

// Scales so the absolute peak is `peak`.
void normalisePeak(std::vector<float>& samples, float peak);

struct PlacedWord {
    std::vector<float> clip;  // clipLength samples
    int64_t offset = 0;       // where the word starts
    int64_t length = 0;       // how many of its samples fit (the word is cut if longer than the clip)
};

// The word at `offset` (clamped so it fits) in a clip of zeros.
PlacedWord placeWord(const std::vector<float>& word, int64_t clipLength, int64_t offset);

}  // namespace s4scope::train
