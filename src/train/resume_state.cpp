#include "resume_state.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "s4scope/error.h"

namespace s4scope::train {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

fs::path modelFile(const std::string& dir) { return fs::path(dir) / "resume_model.pt"; }
fs::path optimizerFile(const std::string& dir) { return fs::path(dir) / "resume_optimizer.pt"; }
fs::path stateFile(const std::string& dir) { return fs::path(dir) / "resume_state.json"; }

}  // namespace

void saveResumeState(const std::string& outDir, S4Classifier& model, ScheduledOptimizer& optimizer,
                     const ResumeState& state) {
    json history = json::array();
    for (const auto& r : state.history)
        history.push_back({{"epoch", r.epoch},
                           {"train_loss", r.trainLoss},
                           {"train_accuracy", r.trainAccuracy},
                           {"validation_loss", r.validationLoss},
                           {"validation_accuracy", r.validationAccuracy},
                           {"learning_rate", r.learningRate},
                           {"seconds", r.seconds}});
    const json j = {{"epochs_done", state.epochsDone},
                    {"step", state.step},
                    {"best_epoch", state.bestEpoch},
                    {"best_validation_accuracy", state.bestValidationAccuracy},
                    {"history", history}};
    // Written to temporary names and renamed, so a run killed mid-save keeps the previous state.
    const auto tmp = [](const fs::path& p) { return fs::path(p.string() + ".tmp"); };
    torch::save(model, tmp(modelFile(outDir)).string());
    torch::save(optimizer.adamw(), tmp(optimizerFile(outDir)).string());
    {
        std::ofstream out(tmp(stateFile(outDir)));
        if (!(out << j.dump(2) << '\n')) throw Error(stateFile(outDir).string() + ": cannot be written");
    }
    for (const auto& p : {modelFile(outDir), optimizerFile(outDir), stateFile(outDir)}) fs::rename(tmp(p), p);
}

bool loadResumeState(const std::string& outDir, S4Classifier& model, ScheduledOptimizer& optimizer,
                     ResumeState& state) {
    if (!fs::exists(stateFile(outDir))) return false;
    try {
        std::ifstream in(stateFile(outDir));
        const json j = json::parse(in);
        state.epochsDone = j.at("epochs_done");
        state.step = j.at("step");
        state.bestEpoch = j.at("best_epoch");
        state.bestValidationAccuracy = j.at("best_validation_accuracy");
        state.history.clear();
        for (const auto& r : j.at("history"))
            state.history.push_back({r.at("epoch"), r.at("train_loss"), r.at("train_accuracy"),
                                     r.at("validation_loss"), r.at("validation_accuracy"), r.at("learning_rate"),
                                     r.at("seconds")});
        torch::load(model, modelFile(outDir).string());
        torch::load(optimizer.adamw(), optimizerFile(outDir).string());
    } catch (const std::exception& e) {
        throw Error(outDir + ": the resume state cannot be read (" + e.what() + ")");
    }
    return true;
}

}  // namespace s4scope::train
