#include "room_reverb.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

namespace s4scope::train {

std::vector<float> roomImpulse(double rt60, double directToReverbDb, int sampleRate, Rng& rng) {
    const size_t length = size_t(std::min(1.2 * rt60, 1.0) * sampleRate);
    const size_t start = size_t(0.0025 * sampleRate);
    std::vector<float> h(std::max(length, start + 1), 0.f);
    h[0] = 1;
    const double decay = 3 * std::log(10.0) / (rt60 * sampleRate);  // amplitude: e^(-decay n), energy -60 dB at RT60
    double tailEnergy = 0;
    for (size_t n = start; n < h.size(); ++n) {
        h[n] = float(rng.normal() * std::exp(-decay * double(n - start)));
        tailEnergy += double(h[n]) * h[n];
    }
    const double scale = tailEnergy > 0 ? std::sqrt(std::pow(10.0, -directToReverbDb / 10) / tailEnergy) : 0;
    for (size_t n = start; n < h.size(); ++n) h[n] = float(h[n] * scale);
    return h;
}

std::vector<float> reverberate(const std::vector<float>& x, const std::vector<float>& impulse) {
    if (x.empty() || impulse.empty()) return x;
    int64_t n = 1;
    while (n < int64_t(x.size() + impulse.size())) n *= 2;
    const auto X = torch::fft::rfft(torch::from_blob(const_cast<float*>(x.data()), {int64_t(x.size())}), n);
    const auto H = torch::fft::rfft(torch::from_blob(const_cast<float*>(impulse.data()), {int64_t(impulse.size())}), n);
    const auto y = torch::fft::irfft(X * H, n).slice(0, 0, int64_t(x.size())).contiguous();
    return std::vector<float>(y.data_ptr<float>(), y.data_ptr<float>() + x.size());
}

double measureRt60(const std::vector<float>& x, size_t from, int sampleRate) {
    if (from >= x.size()) return 0;
    std::vector<double> edc(x.size() - from);
    double sum = 0;
    for (size_t i = x.size(); i-- > from;) {
        sum += double(x[i]) * x[i];
        edc[i - from] = sum;
    }
    if (sum <= 0) return 0;
    // Least squares of dB against time over the -5..-25 dB range.
    double st = 0, sd = 0, stt = 0, std_ = 0;
    int count = 0;
    for (size_t i = 0; i < edc.size(); ++i) {
        const double db = 10 * std::log10(edc[i] / edc[0] + 1e-300);
        if (db > -5 || db < -25) continue;
        const double t = double(i) / sampleRate;
        st += t;
        sd += db;
        stt += t * t;
        std_ += t * db;
        ++count;
    }
    if (count < 2) return 0;
    const double slope = (count * std_ - st * sd) / (count * stt - st * st);  // dB per second, negative
    return slope < 0 ? -60 / slope : 0;
}

}  // namespace s4scope::train
