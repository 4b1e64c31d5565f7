#pragma once
// Accuracy, loss and confusion matrix of the model on a clip set: clean, or with a fixed
// (seeded) background noise at a given SNR.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "clip_set.h"
#include "model/s4_model.h"
#include "noise_sources.h"

namespace s4scope::train {

struct Evaluation {
    int64_t clips = 0;
    double loss = 0;      // mean cross-entropy
    double accuracy = 0;  // in [0, 1]
    std::vector<std::vector<int64_t>> confusion;  // [true][predicted]
    std::map<std::string, std::pair<int64_t, int64_t>> perEngine;   // engine -> (correct, clips)
    std::map<std::string, std::pair<int64_t, int64_t>> perVoice;    // voice -> (correct, clips)
    std::map<std::string, std::pair<int64_t, int64_t>> perSpeaker;  // speakerOf -> (correct, clips)
};

// The noise of a noisy evaluation.
struct NoiseCondition {
    NoiseKind kind = NoiseKind::Babble;
    double snrDb = 10;
    const NoisePools* pools = nullptr;
    uint64_t seed = 0;
};

// The unit the split holds out, as the report names it: "espeak-ng:f3" (a variant in every
// accent), "espeak:m3", "flite:rms" (kal16 counts as kal), "festival:czech_ph",
// "speech-commands:0a7c2a8d".
std::string speakerOf(const ManifestEntry& entry);

Evaluation evaluate(S4ClassifierImpl& model, const ClipSet& set, int64_t batchSize,
                    const NoiseCondition* noise = nullptr);

}  // namespace s4scope::train
