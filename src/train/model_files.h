#pragma once
// The trainer's model in and out of files: a model pair (weights + NAME_config.json) that
// Model::load reads, with the training's facts added to the config under "training".
#include <string>

#include "model/s4_model.h"
#include "s4scope/tensor_data.h"

namespace s4scope::train {

// stateDictOf / loadStateDictInto come from the engine (s4_model.h).
using s4scope::loadStateDictInto;
using s4scope::stateDictOf;

// Writes weightsPath (.pt or .safetensors) and NAME_config.json beside it; `trainingJson` (a JSON
// object, may be "{}") is stored under the config's "training" key, which loaders ignore.
void writeModelPair(S4ClassifierImpl& model, const std::string& weightsPath, const std::string& trainingJson);

}  // namespace s4scope::train
