#pragma once
// Engine-internal side of s4scope::Model: the libtorch module and what it was loaded from.
#include <string>

#include "model/s4_model.h"
#include "s4scope/model.h"

namespace s4scope {

class ModelImpl {
public:
    explicit ModelImpl(const ModelConfig& config) : module(config) {}

    S4Classifier module;
    std::string source;

    // (B, T) or (B,1,T) float tensor of checked clips.
    torch::Tensor inputTensor(const float* clips, int64_t batch) const;
};

}  // namespace s4scope
