#pragma once
// .safetensors files: an 8-byte little-endian header length N, N bytes of JSON header
// ({"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}}), then the raw
// little-endian tensor data, with offsets relative to its start.
#include <string>

#include "s4scope/checkpoint_formats.h"
#include "s4scope/tensor_data.h"

namespace s4scope::detail {

// Reads F32, F64, F16, BF16, I64, I32, I16, I8, U8 and BOOL tensors as float32, in header order.
// Throws Error naming the file for a bad header length, malformed JSON, unknown dtypes, bad shapes
// and offsets outside the data or inconsistent with shape x dtype.
// Tensors come back in data order (the order they were written); the tensors must tile the data
// region exactly, as the reference implementation requires. `check` sees every name and shape
// before any tensor data is read.
NamedTensors readSafetensors(const std::string& path, const TensorIndexCheck& check = {});

// Writes F32 tensors in the given order (through a temporary file renamed into place).
void writeSafetensors(const std::string& path, const NamedTensors& tensors);

}  // namespace s4scope::detail
