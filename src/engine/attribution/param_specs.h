#pragma once
// Parameters several methods share, with their defaults and ranges (DESIGN.md §3).
#include "attribution/lrp_rules.h"
#include "s4scope/attribution.h"

namespace s4scope::params {

inline const ParamSpec kMu{"mu", 0.0, -1.0, 1.0, false, "SIGN threshold: inputs >= mu count as +1, others as -1"};
inline const ParamSpec kEpsilon{"epsilon", 0.01, kEpsilonFloor, 100.0, false,
                                "stabiliser added to every denominator (absorbs weak, contradictory relevance)"};
inline const ParamSpec kGamma{"gamma", 0.25, 0.0, 100.0, false,
                              "how much contributions that agree in sign with their output are amplified (sign-aware, as Zennit's Gamma)"};
inline const ParamSpec kBaseline{"baseline", 0.0, -1.0, 1.0, false, "constant reference signal (0 = silence)"};
inline const ParamSpec kSamples{"samples", 32, 1, 4096, true, "number of noisy copies of the clip"};
inline const ParamSpec kSigma{"sigma", 0.1, 0.0, 10.0, false,
                              "noise standard deviation, as a fraction of the clip's peak-to-peak range"};

}  // namespace s4scope::params
