#pragma once
// Linear prediction: the all-pole model of a frame's spectral envelope, and the polynomial
// algebra (roots and back) that moving its poles needs. Plain C++, no torch.
#include <complex>
#include <vector>

namespace s4scope::train {

// Autocorrelation-method LPC of order `order` (Levinson-Durbin) of n samples (window them first):
// a[0..order] with a[0] = 1 and A(z) = sum a[k] z^-k, the prediction-error filter. A silent
// frame gives A(z) = 1.
std::vector<double> lpcCoefficients(const double* x, size_t n, int order);

// The roots of z^p + a[1] z^(p-1) + ... + a[p] (a[0] must be 1): the poles of 1/A(z).
std::vector<std::complex<double>> polynomialRoots(const std::vector<double>& a);

// The monic real polynomial (a[0] = 1) with these roots (given in conjugate pairs).
std::vector<double> polynomialFromRoots(const std::vector<std::complex<double>>& roots);

// The formant frequencies (Hz, ascending) of an LPC model: angles of its poles in the upper half
// plane whose bandwidth is below `maxBandwidthHz`.
std::vector<double> formantFrequencies(const std::vector<double>& a, int sampleRate, double maxBandwidthHz = 400);

}  // namespace s4scope::train
