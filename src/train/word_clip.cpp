#include "word_clip.h"

#include <algorithm>
#include <cmath>

namespace s4scope::train {

std::vector<float> trimSilence(const std::vector<float>& samples, int sampleRate, double thresholdDb, bool noiseFloor) {
    const size_t frame = std::max(1, sampleRate / 100);
    const size_t frames = (samples.size() + frame - 1) / frame;
    std::vector<double> rms(frames, 0.0);
    for (size_t f = 0; f < frames; ++f) {
        const size_t begin = f * frame, end = std::min(samples.size(), begin + frame);
        double sum = 0;
        for (size_t i = begin; i < end; ++i) sum += double(samples[i]) * samples[i];
        rms[f] = std::sqrt(sum / double(end - begin));
    }
    const double loudest = frames ? *std::max_element(rms.begin(), rms.end()) : 0.0;
    if (loudest <= 0) return {};
    double threshold = loudest * std::pow(10.0, thresholdDb / 20.0);
    if (noiseFloor) {
        // A steady noise floor (Festival's NSK diphones) counts as silence: anything within 10 dB
        // of the quietest fifth of the frames, but never more than 20 dB below the loudest frame
        // (a word that fills its buffer has no floor to find).
        std::vector<double> sorted(rms);
        std::nth_element(sorted.begin(), sorted.begin() + long(frames / 5), sorted.end());
        const double floor = sorted[frames / 5] * std::pow(10.0, 10.0 / 20.0);
        threshold = std::max(threshold, std::min(floor, loudest * 0.1));
    }
    size_t first = 0, last = frames - 1;
    while (first < frames && rms[first] < threshold) ++first;
    while (last > first && rms[last] < threshold) --last;
    const size_t begin = (first > 0 ? first - 1 : 0) * frame;
    const size_t end = std::min(samples.size(), (last + 2) * frame);
    return std::vector<float>(samples.begin() + begin, samples.begin() + end);
}

void normalisePeak(std::vector<float>& samples, float peak) {
    float top = 0;
    for (float s : samples) top = std::max(top, std::abs(s));
    if (top <= 0) return;
    const float scale = peak / top;
    for (float& s : samples) s *= scale;
}

PlacedWord placeWord(const std::vector<float>& word, int64_t clipLength, int64_t offset) {
    PlacedWord placed;
    placed.clip.assign(clipLength, 0.f);
    placed.length = std::min<int64_t>(word.size(), clipLength);
    placed.offset = std::clamp<int64_t>(offset, 0, clipLength - placed.length);
    std::copy(word.begin(), word.begin() + placed.length, placed.clip.begin() + placed.offset);
    return placed;
}

}  // namespace s4scope::train
