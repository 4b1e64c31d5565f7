#pragma once
// How strongly training batches are augmented (see augmentation.h).

namespace s4scope::train {

struct AugmentOptions {
    double speedProbability = 0.5;
    double minSpeed = 0.9, maxSpeed = 1.1;    // > 1 is faster (shorter)
    double minGainDb = -18, maxGainDb = 3;    // on the clip's level; the result is clipped to [-1, 1]
    double noiseProbability = 0.8;
    double minSnrDb = 5, maxSnrDb = 35;       // against the word's mean power
};

}  // namespace s4scope::train
