#pragma once
// Reverberation by a synthetic room impulse response: the direct sound, then a diffuse tail of
// Gaussian noise whose energy falls by 60 dB in RT60 seconds (the statistical model of a
// reverberant room), starting 2.5 ms after the direct sound.
#include <vector>

#include "rng.h"

namespace s4scope::train {

// An impulse response of min(1.2 RT60, 1 s): h[0] = 1, and a tail whose energy is
// directToReverbDb below the direct sound's.
std::vector<float> roomImpulse(double rt60, double directToReverbDb, int sampleRate, Rng& rng);

// x convolved with the impulse response, cut to x's length (FFT convolution).
std::vector<float> reverberate(const std::vector<float>& x, const std::vector<float>& impulse);

// The reverberation time of a signal's decay after `from`: Schroeder's backward-integrated energy
// curve, its least-squares slope between -5 and -25 dB, extrapolated to -60 dB (T20). For tests
// and the data card.
double measureRt60(const std::vector<float>& x, size_t from, int sampleRate);

}  // namespace s4scope::train
