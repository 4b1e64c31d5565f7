#pragma once
// On-the-fly augmentation of training batches (AugmentOptions says what and how much): each word
// is cut out of its clip, changed in tempo, pitch and vocal-tract length, scaled, put back at a
// random offset, reverberated in a synthetic room, coloured by a random microphone and channel,
// mixed with a background noise at a random SNR, and sometimes clipped. Each clip's randomness
// comes from its own seed, so a batch is the same whichever thread makes it.
#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "augment_options.h"
#include "clip_set.h"
#include "noise_sources.h"

namespace s4scope::train {

// One clip, augmented: `word` is the spoken word alone; the result has clipLength samples.
std::vector<float> augmentWord(const std::vector<float>& word, int64_t clipLength, const AugmentOptions& options,
                               const NoisePools& pools, uint64_t seed);

// (B, 1, T) for the clips at `indices`; clip b uses the seed deriveSeed(batchSeed, b).
torch::Tensor augmentBatch(const ClipSet& set, const std::vector<int64_t>& indices, const AugmentOptions& options,
                           const NoisePools& pools, uint64_t batchSeed);

// The clips at `indices` as they are: (B, 1, T).
torch::Tensor cleanBatch(const ClipSet& set, const std::vector<int64_t>& indices);

// The clips at `indices` with `kind` noise at `snrDb` against each word, the same for every call
// with the same seed (the report's noisy evaluation): (B, 1, T).
torch::Tensor noisyBatch(const ClipSet& set, const std::vector<int64_t>& indices, NoiseKind kind, double snrDb,
                         const NoisePools& pools, uint64_t seed);

// The word of clip i: its recorded extent, or the whole clip when none is recorded.
std::vector<float> wordOf(const ClipSet& set, int64_t i);

}  // namespace s4scope::train
