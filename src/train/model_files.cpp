#include "model_files.h"

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "s4scope/checkpoint.h"
#include "s4scope/error.h"

namespace s4scope::train {
namespace fs = std::filesystem;

void writeModelPair(S4ClassifierImpl& model, const std::string& weightsPath, const std::string& trainingJson) {
    const fs::path weights(weightsPath);
    std::error_code ec;
    if (!weights.parent_path().empty()) fs::create_directories(weights.parent_path(), ec);
    if (ec) throw Error(weights.parent_path().string() + ": cannot create this folder (" + ec.message() + ")");
    writeCheckpoint(weightsPath, stateDictOf(model));

    auto config = nlohmann::json::parse(model.config.toJson());
    config["training"] = nlohmann::json::parse(trainingJson);
    const fs::path configPath = weights.parent_path() / (weights.stem().string() + "_config.json");
    std::ofstream out(configPath);
    if (!(out << config.dump(2) << '\n')) throw Error(configPath.string() + ": cannot be written");
}

}  // namespace s4scope::train
