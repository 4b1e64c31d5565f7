#include "augmentation.h"

#include <algorithm>
#include <cmath>

#include "s4scope/audio_io.h"

namespace s4scope::train {
namespace {

constexpr int kRate = 16000;

// Second-order Butterworth low-pass (the RBJ audio-EQ biquad), in place.
void lowPass(std::vector<float>& x, double cutoffHz) {
    const double w = 2 * M_PI * cutoffHz / kRate, alpha = std::sin(w) / std::sqrt(2.0), cw = std::cos(w);
    const double a0 = 1 + alpha;
    const double b0 = (1 - cw) / 2 / a0, b1 = (1 - cw) / a0, b2 = b0, a1 = -2 * cw / a0, a2 = (1 - alpha) / a0;
    double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
    for (float& s : x) {
        const double y = b0 * s + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
        x2 = x1;
        x1 = s;
        y2 = y1;
        y1 = y;
        s = float(y);
    }
}

// The word of clip i, changed in speed, at its new offset in a silent clip. Returns the word's
// mean power (for the SNR).
double placeAugmentedWord(const ClipSet& set, int64_t i, const AugmentOptions& o, Rng& rng, float* out, int64_t T) {
    const auto& e = set.entries[size_t(i)];
    const float* clip = set.audio[i].data_ptr<float>();
    const int64_t begin = std::clamp<int64_t>(e.offset, 0, T), end = std::clamp<int64_t>(e.offset + e.length, begin, T);
    std::vector<float> word(clip + begin, clip + end);
    if (word.empty()) word.assign(clip, clip + T);  // no word extent recorded: treat the clip as the word

    if (rng.chance(o.speedProbability)) {
        const double speed = rng.uniform(o.minSpeed, o.maxSpeed);
        word = resample(word, kRate, int(std::lround(kRate / speed)));
    }
    if (rng.chance(o.lowPassProbability))
        lowPass(word, std::exp(rng.uniform(std::log(o.minLowPassHz), std::log(o.maxLowPassHz))));
    if (rng.chance(o.tiltProbability)) {
        // Another microphone or room: c > 0 dulls the highs, c < 0 thins the lows.
        const float c = float(rng.uniform(-o.maxTilt, o.maxTilt));
        float previous = 0;
        for (float& s : word) {
            const float x = s;
            s = (x + c * previous) / (1 + std::abs(c));
            previous = x;
        }
    }
    const float gain = float(std::pow(10.0, rng.uniform(o.minGainDb, o.maxGainDb) / 20.0));
    double power = 0;
    for (float& s : word) {
        s *= gain;
        power += double(s) * s;
    }
    power /= double(std::max<size_t>(word.size(), 1));

    const int64_t n = std::min<int64_t>(int64_t(word.size()), T);
    const int64_t skip = (int64_t(word.size()) - n) / 2;  // a word grown past the clip loses both ends
    const int64_t offset = int64_t(rng.below(uint64_t(T - n) + 1));
    std::fill(out, out + T, 0.f);
    std::copy(word.begin() + skip, word.begin() + skip + n, out + offset);
    return power;
}

}  // namespace

torch::Tensor pinkNoise(int64_t batch, int64_t length, torch::Generator& generator) {
    const auto white = torch::randn({batch, length}, generator);
    auto spectrum = torch::fft::rfft(white, length, -1);
    auto f = torch::arange(spectrum.size(-1), torch::kFloat);
    f[0] = 1;  // no DC: scale of bin 0 set below
    auto scale = 1.0 / torch::sqrt(f);
    scale[0] = 0;
    const auto pink = torch::fft::irfft(spectrum * scale, length, -1);
    return pink / pink.std(-1, /*unbiased=*/true, /*keepdim=*/true).clamp_min(1e-8);
}

torch::Tensor cleanBatch(const ClipSet& set, const std::vector<int64_t>& indices) {
    const auto idx = torch::tensor(indices, torch::kLong);
    return set.audio.index_select(0, idx).unsqueeze(1);
}

torch::Tensor augmentBatch(const ClipSet& set, const std::vector<int64_t>& indices, const AugmentOptions& o,
                           Rng& rng) {
    const int64_t B = int64_t(indices.size()), T = set.audio.size(1);
    auto batch = torch::zeros({B, T});
    std::vector<float> noiseStd(size_t(B), 0.f), pinkShare(size_t(B), 0.f);
    for (int64_t b = 0; b < B; ++b) {
        const double power = placeAugmentedWord(set, indices[size_t(b)], o, rng, batch[b].data_ptr<float>(), T);
        if (rng.chance(o.noiseProbability)) {
            const double snr = rng.uniform(o.minSnrDb, o.maxSnrDb);
            noiseStd[size_t(b)] = float(std::sqrt(power / std::pow(10.0, snr / 10.0)));
            pinkShare[size_t(b)] = float(rng.uniform());  // 0 white .. 1 pink
        }
    }
    auto generator = at::detail::createCPUGenerator(rng.next());
    const auto white = torch::randn({B, T}, generator);
    const auto pink = pinkNoise(B, T, generator);
    const auto share = torch::tensor(pinkShare).unsqueeze(1);
    // Mixing two independent unit-variance noises: keep the total variance at one.
    const auto noise = (white * torch::sqrt(1 - share) + pink * torch::sqrt(share)) *
                       torch::tensor(noiseStd).unsqueeze(1);
    return (batch + noise).clamp(-1.f, 1.f).unsqueeze(1);
}

}  // namespace s4scope::train
