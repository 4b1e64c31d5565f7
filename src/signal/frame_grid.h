#pragma once
// Where the frames of a short-time transform sit on a signal, and the DFT of each windowed frame.
// The spectrogram and the tight-frame STFT differ only in their window and grid, so both run
// through analyseFrames.
#include <complex>
#include <cstddef>
#include <functional>
#include <vector>

namespace s4scope::signal {

struct FrameGrid {
    long firstStart = 0;  // sample index of frame 0's first sample (negative: the frame starts in the padding)
    int hop = 1;
    int window = 2;       // samples per frame
    int frames = 0;

    long start(int frame) const { return firstStart + long(frame) * hop; }
    // The frame's centre in samples (between two samples for an even window).
    double centre(int frame) const { return double(start(frame)) + 0.5 * window; }
};

// Periodic Hann window of `length` samples: w[m] = 0.5 - 0.5 cos(2πm / length).
std::vector<double> hannWindow(int length);

// For every frame of `grid`: the frame of `x` (zero outside the signal) times `window`, zero-padded
// to `fftSize`, through an unnormalised real DFT; `visit(frame, bins)` receives fftSize/2 + 1 bins.
void analyseFrames(const std::vector<double>& x, const std::vector<double>& window, const FrameGrid& grid, int fftSize,
                   const std::function<void(int frame, const std::complex<double>* bins)>& visit);

}  // namespace s4scope::signal
