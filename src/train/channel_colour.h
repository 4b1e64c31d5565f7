#pragma once
// Another microphone or transmission channel: a random band-pass (high-pass 50..400 Hz, low-pass
// 2.5..8 kHz, log-uniform) and 1..3 random peaking EQ bands (200 Hz..6 kHz, Q 0.7..2, +-10 dB).
#include <vector>

#include "rng.h"

namespace s4scope::train {

void colourChannel(std::vector<float>& x, int sampleRate, Rng& rng);

}  // namespace s4scope::train
