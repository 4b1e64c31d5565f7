#pragma once
// The voices a data set is built from, and the groups the train/validation/test split holds out.
#include <string>
#include <vector>

#include "dataset_options.h"

namespace s4scope::train {

struct VoiceSpec {
    std::string engine;   // "espeak" or "flite"
    std::string accent;   // espeak: gmw/ accent (en-US); flite: the voice (kal)
    std::string variant;  // espeak: !v variant, "" for the accent's own voice; flite: ""

    std::string name() const;        // "espeak:en-US+f3", "espeak:en-US" , "flite:kal"
    // Voices in one group always share a split. espeak-ng: a variant with all its accents, so test
    // variants are never heard in training in any accent; flite: a speaker (kal and kal16 are
    // the same speaker at two sample rates).
    std::string splitGroup() const;
};

// The voices the options ask for, sorted by name. Names are checked against what espeak-ng and
// flite offer; an unknown one throws Error naming it and listing the available ones.
std::vector<VoiceSpec> catalogueVoices(const DatasetOptions& options);

}  // namespace s4scope::train
