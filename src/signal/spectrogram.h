#pragma once
// The spectrogram the views draw (DESIGN.md §4): STFT magnitude in dB, 25 ms Hann window, 10 ms hop.
// Computed once per clip on a worker thread (live mode, the explorer) and handed to the views whole.
#include <cstddef>
#include <vector>

namespace s4scope::signal {

struct Spectrogram {
    int frames = 0;           // columns; frame i is centred on sample i * hopSamples
    int bins = 0;             // rows: 0 .. sampleRate / 2
    int hopSamples = 0;
    int windowSamples = 0;
    int sampleRate = 0;
    double binHz = 0;         // frequency step between rows
    std::vector<float> db;    // frames * bins values, frame-major: db[frame * bins + bin]
    float floorDb = -120.f;   // the value silence is clamped to (SpectrogramOptions::floorDb)

    double frameTime(int frame) const { return double(frame) * hopSamples / sampleRate; }
    float at(int frame, int bin) const { return db[size_t(frame) * bins + bin]; }
    float maxDb() const;
};

struct SpectrogramOptions {
    double windowSeconds = 0.025;
    double hopSeconds = 0.010;
    float floorDb = -120.f;  // magnitudes below this (silence) are clamped here
};

// Frames are centred (the signal is zero-padded by half a window on each side), so the columns
// line up with time t = frame * hop and a 1 s clip at 10 ms hop has 101 of them. Each frame is
// zero-padded to the next power of two (512 points at 16 kHz: 31.25 Hz rows). Magnitudes are
// normalised by the window's sum: a full-scale sine peaks near -6 dB. This grid (a window of 2.5 hops:
// no tight frame) is for display; time–frequency relevance uses signal::Stft.
// Throws std::invalid_argument for a sample rate below 1 Hz.
Spectrogram computeSpectrogram(const std::vector<float>& samples, int sampleRate, const SpectrogramOptions& options = {});

}  // namespace s4scope::signal
