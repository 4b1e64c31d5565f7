#pragma once
// Train / validation / test by voice: whole split groups (VoiceSpec::splitGroup) are held out, so
// no voice is in two splits. Deterministic from the seed.
#include <map>
#include <string>
#include <vector>

#include "dataset_options.h"
#include "voice_catalogue.h"

namespace s4scope::train {

// Split name ("train", "validation", "test") per split group. Each engine's groups are shuffled
// on their own, and each held-out split gets max(1, round(fraction * groups)) of them when its
// fraction is > 0 (never all: at least one group stays in train). An engine with fewer than five
// groups (flite's four speakers) holds none out: all of it trains.
std::map<std::string, std::string> assignSplits(const std::vector<VoiceSpec>& voices, const DatasetOptions& options);

}  // namespace s4scope::train
