#pragma once
// Mono audio at its own sample rate, as a synthesiser returns it.
#include <vector>

namespace s4scope::train {

struct Waveform {
    std::vector<float> samples;  // in [-1, 1]
    int sampleRate = 0;
};

}  // namespace s4scope::train
