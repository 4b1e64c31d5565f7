#include "augmentation.h"

#include <algorithm>
#include <cmath>

#include "channel_colour.h"
#include "formant_warp.h"
#include "room_reverb.h"
#include "rng.h"
#include "time_stretch.h"

namespace s4scope::train {
namespace {

constexpr int kRate = 16000;

double peakOf(const std::vector<float>& x) {
    float p = 0;
    for (float s : x) p = std::max(p, std::abs(s));
    return p;
}

void scale(std::vector<float>& x, double factor) {
    for (float& s : x) s = float(s * factor);
}

NoiseKind drawNoiseKind(Rng& rng, const NoisePools& pools) {
    std::vector<NoiseKind> kinds = {NoiseKind::White, NoiseKind::Pink, NoiseKind::Brown, NoiseKind::Hum};
    if (!pools.babble.empty()) {
        // Babble is the noise that most resembles the task's hardest condition: twice as likely.
        kinds.push_back(NoiseKind::Babble);
        kinds.push_back(NoiseKind::Babble);
    }
    if (!pools.files.empty()) {
        kinds.push_back(NoiseKind::File);
        kinds.push_back(NoiseKind::File);
    }
    return kinds[rng.below(kinds.size())];
}

}  // namespace

std::vector<float> wordOf(const ClipSet& set, int64_t i) {
    const auto& e = set.entries[size_t(i)];
    const int64_t T = set.audio.size(1);
    const float* clip = set.audio[i].data_ptr<float>();
    const int64_t begin = std::clamp<int64_t>(e.offset, 0, T), end = std::clamp<int64_t>(e.offset + e.length, begin, T);
    if (end == begin) return std::vector<float>(clip, clip + T);  // no extent recorded: the clip is the word
    return std::vector<float>(clip + begin, clip + end);
}

std::vector<float> augmentWord(const std::vector<float>& input, int64_t T, const AugmentOptions& o,
                               const NoisePools& pools, uint64_t seed) {
    Rng rng(seed);
    std::vector<float> word = input;
    const double originalPeak = std::max(peakOf(word), 1e-4);

    // The speaker: tempo, then pitch and vocal-tract length in one source-filter pass.
    if (rng.chance(o.tempoProbability)) word = changeTempo(word, rng.uniform(o.minTempo, o.maxTempo));
    double pitchRatio = 1, formantFactor = 1;
    if (rng.chance(o.pitchProbability)) pitchRatio = std::pow(2.0, rng.uniform(-o.maxPitchSemitones, o.maxPitchSemitones) / 12);
    if (rng.chance(o.vtlpProbability)) formantFactor = rng.uniform(o.minVtlp, o.maxVtlp);
    if (pitchRatio != 1 || formantFactor != 1) word = shiftPitchAndFormants(word, kRate, pitchRatio, formantFactor);

    // Back into a clip at a random offset (a word grown past the clip loses both ends).
    const int64_t n = std::min<int64_t>(int64_t(word.size()), T);
    const int64_t skip = (int64_t(word.size()) - n) / 2;
    const int64_t offset = int64_t(rng.below(uint64_t(T - n) + 1));
    std::vector<float> clip(size_t(T), 0.f);
    std::copy(word.begin() + skip, word.begin() + skip + n, clip.begin() + offset);

    // The room, then the microphone and channel.
    if (rng.chance(o.reverbProbability)) {
        const auto impulse = roomImpulse(rng.uniform(o.minRt60, o.maxRt60),
                                         rng.uniform(o.minDirectToReverbDb, o.maxDirectToReverbDb), kRate, rng);
        clip = reverberate(clip, impulse);
    }
    if (rng.chance(o.colourProbability)) colourChannel(clip, kRate, rng);

    // The level: the word's own peak, times a random gain.
    const double gain = std::pow(10.0, rng.uniform(o.minGainDb, o.maxGainDb) / 20);
    const double peak = peakOf(clip);
    if (peak > 0) scale(clip, originalPeak * gain / peak);

    if (rng.chance(o.noiseProbability)) {
        const NoiseKind kind = drawNoiseKind(rng, pools);
        const auto noise = makeNoise(kind, T, kRate, rng, pools);
        addNoiseAtSnr(clip, offset, offset + n, noise, rng.uniform(o.minSnrDb, o.maxSnrDb));
    }
    if (rng.chance(o.clipProbability)) {
        const float limit = float(rng.uniform(0.3, 0.8) * peakOf(clip));
        for (float& s : clip) s = std::clamp(s, -limit, limit);
    }
    for (float& s : clip) s = std::isfinite(s) ? std::clamp(s, -1.f, 1.f) : 0.f;
    return clip;
}

torch::Tensor cleanBatch(const ClipSet& set, const std::vector<int64_t>& indices) {
    const auto idx = torch::tensor(indices, torch::kLong);
    return set.audio.index_select(0, idx).unsqueeze(1);
}

torch::Tensor augmentBatch(const ClipSet& set, const std::vector<int64_t>& indices, const AugmentOptions& o,
                           const NoisePools& pools, uint64_t batchSeed) {
    const int64_t B = int64_t(indices.size()), T = set.audio.size(1);
    auto batch = torch::zeros({B, 1, T});
    for (int64_t b = 0; b < B; ++b) {
        const auto clip = augmentWord(wordOf(set, indices[size_t(b)]), T, o, pools,
                                      deriveSeed(batchSeed, std::to_string(b)));
        std::copy(clip.begin(), clip.end(), batch[b][0].data_ptr<float>());
    }
    return batch;
}

torch::Tensor noisyBatch(const ClipSet& set, const std::vector<int64_t>& indices, NoiseKind kind, double snrDb,
                         const NoisePools& pools, uint64_t seed) {
    const int64_t B = int64_t(indices.size()), T = set.audio.size(1);
    auto batch = cleanBatch(set, indices).clone();
    for (int64_t b = 0; b < B; ++b) {
        const int64_t i = indices[size_t(b)];
        const auto& e = set.entries[size_t(i)];
        Rng rng(deriveSeed(seed, e.path));
        float* data = batch[b][0].data_ptr<float>();
        std::vector<float> clip(data, data + T);
        addNoiseAtSnr(clip, e.offset, e.offset + e.length, makeNoise(kind, T, kRate, rng, pools), snrDb);
        for (int64_t t = 0; t < T; ++t) data[t] = std::clamp(clip[size_t(t)], -1.f, 1.f);
    }
    return batch;
}

}  // namespace s4scope::train
