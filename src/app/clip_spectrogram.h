#pragma once
// The one place the app names the spectrogram it computes for a clip (DESIGN.md §4: STFT
// magnitude in dB, 25 ms window, 10 ms hop). It runs on the worker threads, once per clip, for the
// explorer and for live mode alike; the views get it finished through one setter.
#include <vector>

#include "signal/spectrogram.h"

namespace s4scope::app {

namespace spectral = s4scope::signal;
using Spectrogram = spectral::Spectrogram;

inline Spectrogram clipSpectrogram(const std::vector<float>& samples, int sampleRate) {
    return spectral::computeSpectrogram(samples, sampleRate);
}

}  // namespace s4scope::app
