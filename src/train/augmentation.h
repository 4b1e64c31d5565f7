#pragma once
// On-the-fly augmentation of training batches: each word is cut out of its clip, sped up or
// slowed down a little (by resampling), sometimes muffled (low-pass), given a random spectral
// slope, scaled, put back at a
// random offset, and mixed with white and/or pink noise at a random SNR.
#include <torch/torch.h>

#include <vector>

#include "augment_options.h"
#include "clip_set.h"
#include "rng.h"

namespace s4scope::train {

// (B, 1, T) for the clips at `indices`. All randomness comes from `rng`.
torch::Tensor augmentBatch(const ClipSet& set, const std::vector<int64_t>& indices, const AugmentOptions& options,
                           Rng& rng);

// The clips at `indices` as they are: (B, 1, T).
torch::Tensor cleanBatch(const ClipSet& set, const std::vector<int64_t>& indices);

// Unit-variance noise with a 1/f power spectrum, one row per clip: (B, T).
torch::Tensor pinkNoise(int64_t batch, int64_t length, torch::Generator& generator);

}  // namespace s4scope::train
