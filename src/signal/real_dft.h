#pragma once
// The real discrete Fourier transform of one size through FFTW3, with buffers of its own.
// FFTW's plans are made once per size per process and shared (planning is serialised: FFTW's
// planner is not thread-safe, executing a plan is). One RealDft serves one thread at a time;
// several RealDft of the same size may run in parallel.
#include <complex>
#include <cstddef>

namespace s4scope::signal {

class RealDft {
public:
    // Throws std::invalid_argument for a size below 2.
    explicit RealDft(int size);
    ~RealDft();
    RealDft(const RealDft&) = delete;
    RealDft& operator=(const RealDft&) = delete;

    int size() const { return size_; }
    int bins() const { return size_ / 2 + 1; }  // 0 .. size/2: the non-negative frequencies

    double* samples() { return samples_; }                    // size() values
    std::complex<double>* spectrum() { return spectrum_; }    // bins() values

    // spectrum[k] = Σₙ samples[n] e^(-2πikn/size), unnormalised.
    void forward();
    // samples[n] = Σₖ X[k] e^(+2πikn/size) over all size() frequencies, the negative ones being the
    // conjugates of spectrum (the imaginary parts of the DC and Nyquist bins are ignored);
    // unnormalised, so inverse(forward(x)) = size · x. Overwrites spectrum().
    void inverse();

private:
    int size_;
    double* samples_;
    std::complex<double>* spectrum_;
    const void* plans_;
};

}  // namespace s4scope::signal
