#pragma once
// Learning-rate multiplier: linear warmup, then a cosine from 1 down to 0 at the last step.
#include <algorithm>
#include <cmath>
#include <cstdint>

namespace s4scope::train {

inline double cosineWithWarmup(int64_t step, int64_t warmupSteps, int64_t totalSteps) {
    if (warmupSteps > 0 && step < warmupSteps) return double(step + 1) / double(warmupSteps);
    const int64_t span = std::max<int64_t>(1, totalSteps - warmupSteps);
    const double progress = std::clamp(double(step - warmupSteps) / double(span), 0.0, 1.0);
    return 0.5 * (1.0 + std::cos(M_PI * progress));
}

}  // namespace s4scope::train
