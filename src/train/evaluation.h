#pragma once
// Accuracy, loss and confusion matrix of the model on a clip set (clean clips, no augmentation).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "clip_set.h"
#include "model/s4_model.h"

namespace s4scope::train {

struct Evaluation {
    int64_t clips = 0;
    double loss = 0;      // mean cross-entropy
    double accuracy = 0;  // in [0, 1]
    std::vector<std::vector<int64_t>> confusion;  // [true][predicted]
    std::map<std::string, std::pair<int64_t, int64_t>> perEngine;  // engine -> (correct, clips)
    std::map<std::string, std::pair<int64_t, int64_t>> perVoice;   // voice -> (correct, clips)
};

Evaluation evaluate(S4ClassifierImpl& model, const ClipSet& set, int64_t batchSize);

}  // namespace s4scope::train
