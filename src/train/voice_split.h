#pragma once
// Train / validation / test by speaker: whole split groups (VoiceSpec::splitGroup) are held out,
// so no speaker is in two splits, in any engine. Deterministic from the seed.
#include <map>
#include <string>
#include <vector>

#include "dataset_options.h"
#include "voice_catalogue.h"

namespace s4scope::train {

// Split name ("train", "validation", "test") per split group. Groups are pooled by the engines
// their voices belong to ("espeak+espeak-ng" for variants both espeaks have, "espeak-ng" for the
// others, "flite", "festival"), each pool is shuffled on its own, and each held-out split takes
// from it: for the espeak pools max(1, round(fraction * groups)) when the fraction is > 0, for
// flite and Festival the options' numbers of speakers. At least one group of every pool trains.
std::map<std::string, std::string> assignSplits(const std::vector<VoiceSpec>& voices, const DatasetOptions& options);

}  // namespace s4scope::train
