#include "model_choice.h"

#include <iostream>

#include <CLI/CLI.hpp>

#include "s4scope/checkpoint_formats.h"
#include "s4scope/error.h"
#include "s4scope/resources.h"

namespace s4scope::cli {

void ModelChoice::addOptions(CLI::App& command) {
    // The formats come from the engine's table, so a new checkpoint format shows up here by itself.
    auto* model = command.add_option("--model", path,
                                     "Model: either file of a pair (NAME" + modelConfigSuffix() + ", " +
                                         checkpointNamesForMessages() + ") or a folder holding one pair. "
                                         "Default: the bundled model");
    command.add_option("--random-init", randomSeed, "Use a freshly initialised model with this seed instead")->excludes(model);
    command.add_option("--state-dict-prefix", load.stateDictPrefix,
                       "Where the model's tensors sit in the checkpoint, e.g. 'model.' in a PyTorch Lightning "
                       ".ckpt ('' for none). Default: found from the tensor names")
        ->needs(model);
    command.add_option("--s4-sample-rate", load.sampleRate,
                       "Run the model on audio at this rate (Hz) without resampling it: the S4 kernels' step is "
                       "scaled instead (state-spaces' rate). Models without a strided encoder only. Default: "
                       "resample to the model's rate")
        ->check(CLI::Range(1000, 384000));
}

namespace {

Model openBundled(const ModelLoadOptions& options) {
    const std::string bundled = bundledModelPath();
    if (bundled.empty())
        throw Error("no --model given and no bundled model found (looked in " + resourcesDir() +
                    "/models; set S4SCOPE_RESOURCES or pass --model)");
    return Model::load(bundled, options);
}

}  // namespace

Model ModelChoice::open(bool quiet) const {
    const bool bundled = !randomSeed && path.empty();
    Model model = randomSeed ? Model::initialised(ModelConfig{}, *randomSeed) : bundled ? openBundled(load) : Model::load(path, load);
    if (!quiet) std::cerr << "model: " << describe(model) << "\n";
    return model;
}

std::string ModelChoice::describe(const Model& model) const {
    return model.source() + (!randomSeed && path.empty() ? " (the bundled model)" : "");
}

}  // namespace s4scope::cli
