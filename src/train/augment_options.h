#pragma once
// How strongly training batches are augmented (see augmentation.h).

namespace s4scope::train {

struct AugmentOptions {
    double speedProbability = 0.5;
    double minSpeed = 0.85, maxSpeed = 1.15;  // > 1 is faster (shorter); shifts pitch and formants too
    double lowPassProbability = 0.3;          // a muffled voice or microphone: 2nd-order low-pass
    double minLowPassHz = 400, maxLowPassHz = 4000;  // cutoff, drawn log-uniformly
    double tiltProbability = 0.5;
    double maxTilt = 0.9;                     // y[n] = x[n] + c x[n-1], |c| <= maxTilt: a random spectral slope
    double minGainDb = -18, maxGainDb = 3;    // on the clip's level; the result is clipped to [-1, 1]
    double noiseProbability = 0.8;
    double minSnrDb = 5, maxSnrDb = 35;       // against the word's mean power
};

}  // namespace s4scope::train
