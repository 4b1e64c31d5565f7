#include "signal/frame_grid.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "signal/real_dft.h"

namespace s4scope::signal {

std::vector<double> hannWindow(int length) {
    constexpr double kPi = 3.14159265358979323846;
    std::vector<double> w(size_t(std::max(length, 0)));
    for (int m = 0; m < length; ++m) w[size_t(m)] = 0.5 - 0.5 * std::cos(2 * kPi * m / length);
    return w;
}

void analyseFrames(const std::vector<double>& x, const std::vector<double>& window, const FrameGrid& grid, int fftSize,
                   const std::function<void(int frame, const std::complex<double>* bins)>& visit) {
    if (int(window.size()) != grid.window || fftSize < grid.window)
        throw std::invalid_argument("a frame of " + std::to_string(grid.window) + " samples needs a window of that length and a DFT at least as long");
    RealDft dft(fftSize);
    double* frame = dft.samples();
    const long n = long(x.size());
    for (int t = 0; t < grid.frames; ++t) {
        std::fill(frame, frame + fftSize, 0.0);
        const long start = grid.start(t);
        const long first = std::max(0L, -start), last = std::min(long(grid.window), n - start);
        for (long m = first; m < last; ++m) frame[m] = x[size_t(start + m)] * window[size_t(m)];
        dft.forward();
        visit(t, dft.spectrum());
    }
}

}  // namespace s4scope::signal
