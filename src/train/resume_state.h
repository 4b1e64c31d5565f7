#pragma once
// What a training run needs to continue where it stopped: the model and optimizer (libtorch
// archives) and the epoch count, best accuracy and history (JSON), all in the output folder.
#include <string>
#include <vector>

#include "optimizer_setup.h"
#include "model/s4_model.h"
#include "trainer.h"

namespace s4scope::train {

struct ResumeState {
    int64_t epochsDone = 0;
    int64_t step = 0;
    int64_t bestEpoch = 0;
    double bestValidationAccuracy = -1;
    std::vector<EpochRecord> history;
};

void saveResumeState(const std::string& outDir, S4Classifier& model, ScheduledOptimizer& optimizer,
                     const ResumeState& state);
// False when outDir holds no resume state; throws Error naming a damaged file.
bool loadResumeState(const std::string& outDir, S4Classifier& model, ScheduledOptimizer& optimizer,
                     ResumeState& state);

}  // namespace s4scope::train
