#pragma once
// Background noises for training and for the report's noisy evaluation, and mixing at an SNR.
// All unit-RMS, deterministic from the Rng. Plain C++.
#include <cstdint>
#include <string>
#include <vector>

#include "rng.h"

namespace s4scope::train {

enum class NoiseKind { White, Pink, Brown, Hum, Babble, File };

const char* noiseName(NoiseKind kind);

// Recordings to draw from: babble sentences (several overlaid at once) and whole noise files
// (Speech Commands' _background_noise_), each at 16 kHz.
struct NoisePools {
    std::vector<std::vector<float>> babble;
    std::vector<std::vector<float>> files;
};

// `length` samples of unit-RMS noise. Babble overlays 3..7 random stretches of random pool
// sentences; File takes a random stretch of a random pool file. Both need a non-empty pool.
std::vector<float> makeNoise(NoiseKind kind, int64_t length, int sampleRate, Rng& rng, const NoisePools& pools);

// Adds `noise` scaled so that the mean power of clip[begin, end) over the noise's mean power is
// snrDb. `noise` must be as long as `clip`. A silent word gets no noise.
void addNoiseAtSnr(std::vector<float>& clip, int64_t begin, int64_t end, const std::vector<float>& noise, double snrDb);

}  // namespace s4scope::train
