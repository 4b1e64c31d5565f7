#pragma once
// The voices a data set is built from, and the groups the train/validation/test split holds out.
#include <string>
#include <vector>

#include "dataset_options.h"

namespace s4scope::train {

struct VoiceSpec {
    std::string engine;   // "espeak-ng", "espeak" (classic eSpeak 1.48), "flite" or "festival"
    std::string accent;   // espeak-ng / espeak: the English voice (en-US, en-sc); flite, festival: the voice
    std::string variant;  // espeak-ng / espeak: !v variant, "" for the accent's own voice; others ""

    std::string name() const;  // "espeak-ng:en-US+f3", "espeak:en-sc", "flite:kal", "festival:czech_ph"
    // The speaker: voices in one group always share a split. espeak-ng and classic espeak: a
    // variant with all its accents in both engines (the two engines' variant files describe the
    // same voice), so a held-out variant is never heard in training in any accent or engine;
    // flite: a speaker (kal and kal16 are one speaker at two sample rates); Festival: a voice.
    std::string splitGroup() const;
};

// The voices the options ask for, sorted by name. Names are checked against what the engines
// offer; an unknown one throws Error naming it and listing the available ones, and a reserved
// Festival voice (reserved_voices.h) throws Error saying it is reserved.
std::vector<VoiceSpec> catalogueVoices(const DatasetOptions& options);

}  // namespace s4scope::train
