#pragma once
// Vocal-tract-length perturbation and pitch shifting on a source-filter model: each 32 ms frame
// is split by linear prediction into its spectral envelope (an all-pole filter) and the residual
// (the glottal source). Moving the filter's pole angles by a factor moves every formant by that
// factor (a longer or shorter vocal tract) while the residual keeps pitch and timing. Pitch is
// changed by WSOLA plus resampling (which moves formants too), then the formants are moved back.
// Plain C++; the same length in and out.
#include <vector>

namespace s4scope::train {

// Formant peaks at `factor` times their frequency (VTLP; 0.85..1.15 in training), pitch kept.
std::vector<float> warpFormants(const std::vector<float>& x, int sampleRate, double factor);

// Pitch times `pitchRatio` and formants times `formantFactor`, tempo kept; either may be 1.
std::vector<float> shiftPitchAndFormants(const std::vector<float>& x, int sampleRate, double pitchRatio,
                                         double formantFactor);

}  // namespace s4scope::train
