#pragma once
// Writes the `data.pkl` of a torch.save archive for a state dict of float32 tensors, byte for byte
// as Python's torch.save(OrderedDict) does at its default pickle protocol 2 (without the optional
// `_metadata`): tensor i refers to storage key "<i>", i.e. archive record `data/<i>`.
#include <string>

#include "s4scope/tensor_data.h"

namespace s4scope::detail {

std::string writeStateDictPickle(const NamedTensors& tensors);

}  // namespace s4scope::detail
