#pragma once
// The trainer of the bundled model: the engine's own S4 classifier, AdamW with a warmup + cosine
// schedule (SSM parameters in their own group), on-the-fly augmentation, the best validation
// checkpoint kept, resumable. Plain C++ interface (no torch types), like the engine's public API.
#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "augment_options.h"
#include "s4scope/model_config.h"

namespace s4scope::train {

struct TrainOptions {
    std::string dataDir = "keyword-data";  // a data set written by s4scope-dataset
    std::string speechCommandsDir;         // instead: Google Speech Commands v2 in its own layout
    std::string outDir = "training";       // resume state, report
    std::string weightsPath;               // the best model's weights; default OUT/s4_kws.pt
    ModelConfig model;                     // the architecture (defaults: the card's)

    int64_t epochs = 12;
    int64_t batchSize = 64;
    double learningRate = 1e-2;
    double ssmLearningRate = 1e-3;  // log_dt, log_A_real, A_imag: no weight decay either
    double weightDecay = 0.01;
    double warmupEpochs = 1;
    uint64_t seed = 1;          // initialisation, batch order, augmentation
    int threads = 0;            // libtorch threads; 0: the engine's default (cores, or S4SCOPE_THREADS)
    bool augment = true;
    AugmentOptions augmentation;
    int64_t maxStepsPerEpoch = 0;  // > 0: cut epochs short (smoke tests)
    bool resume = false;           // continue from OUT/resume_* when present
    bool evaluateTest = true;      // report the test split at the end
    double reportSnrDb = 10;       // the report's noisy condition: babble at this SNR
    int64_t logEverySteps = 50;
};

struct EpochRecord {
    int64_t epoch = 0;  // 1-based
    double trainLoss = 0, trainAccuracy = 0;  // on the augmented batches
    double validationLoss = 0, validationAccuracy = 0;
    double learningRate = 0;  // at the epoch's end
    double seconds = 0;
};

struct SplitResult {
    std::string split;
    int64_t clips = 0;
    double loss = 0, accuracy = 0;
    std::vector<std::vector<int64_t>> confusion;                   // [true][predicted]
    std::map<std::string, std::pair<int64_t, int64_t>> perEngine;  // engine -> (correct, clips)
    std::map<std::string, std::pair<int64_t, int64_t>> perVoice;   // voice -> (correct, clips)
    std::map<std::string, std::pair<int64_t, int64_t>> perSpeaker;  // evaluation.h's speakerOf -> (correct, clips)
    // The same clips with babble at TrainOptions::reportSnrDb (when babble is available).
    bool hasNoisy = false;
    double noisyAccuracy = 0;
    std::map<std::string, std::pair<int64_t, int64_t>> perSpeakerNoisy;
};

struct TrainResult {
    std::vector<EpochRecord> history;
    int64_t bestEpoch = 0;
    double bestValidationAccuracy = 0;
    std::vector<SplitResult> splits;  // the best checkpoint on clean train, validation and test clips
    std::string weightsPath;
    int64_t trainClips = 0;
    double seconds = 0;  // this run's training time (a resumed run counts only its own)
    double reportSnrDb = 10;
    std::string source;  // what it trained on, for the report
};

// Throws Error naming the file or option at fault.
TrainResult trainModel(const TrainOptions& options, std::ostream* log);

// Evaluates the model pair at options.weightsPath on the data set's splits (clean clips): fills
// TrainResult::splits and weightsPath, writes OUT/report.md. Throws Error naming a missing file.
TrainResult evaluateModel(const TrainOptions& options, std::ostream* log);

// The result as Markdown: the held-out speakers first (per speaker and engine, clean and with
// babble; the mean over speakers of engines other than espeak-ng leads), then accuracy per split
// and the test confusion matrix (labels as names).
std::string reportMarkdown(const TrainResult& result, const std::vector<std::string>& labels);

}  // namespace s4scope::train
