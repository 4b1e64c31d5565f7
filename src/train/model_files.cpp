#include "model_files.h"

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "s4scope/checkpoint.h"
#include "s4scope/error.h"

namespace s4scope::train {
namespace fs = std::filesystem;

NamedTensors stateDictOf(S4ClassifierImpl& model) {
    NamedTensors out;
    for (const auto& item : model.named_parameters()) {
        const auto t = item.value().detach().to(torch::kFloat).contiguous();
        TensorData d;
        d.shape = t.sizes().vec();
        d.values.assign(t.data_ptr<float>(), t.data_ptr<float>() + t.numel());
        out.emplace_back(item.key(), std::move(d));
    }
    return out;
}

void loadStateDictInto(S4ClassifierImpl& model, const NamedTensors& tensors, const std::string& source) {
    std::vector<ExpectedTensor> expected;
    for (const auto& item : model.named_parameters()) expected.push_back({item.key(), item.value().sizes().vec()});
    checkStrict(tensors, expected, source);
    auto params = model.named_parameters();
    torch::NoGradGuard noGrad;
    for (const auto& [name, data] : tensors)
        params[name].copy_(torch::from_blob(const_cast<float*>(data.values.data()), data.shape, torch::kFloat));
}

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
