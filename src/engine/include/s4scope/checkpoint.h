#pragma once
// Checkpoint files: PyTorch `torch.save(state_dict)` archives (.pt/.pth) and .safetensors.
// Reading never runs code: the pickle inside a .pt archive is interpreted by the engine's own
// reader, which accepts only the globals a state dict needs and refuses every other one by name.
#include <optional>
#include <string>
#include <vector>

#include "s4scope/checkpoint_formats.h"
#include "s4scope/tensor_data.h"

namespace s4scope {

// Reads a state dict; the format follows the extension (.pt, .pth, .safetensors).
// Tensors of any float/int dtype are converted to float32. Throws Error naming the file and reason.
NamedTensors readCheckpoint(const std::string& path);

// Writes float32 tensors. .pt/.pth: a zip archive that Python's torch.load reads as an OrderedDict;
// .safetensors: dtype F32.
void writeCheckpoint(const std::string& path, const NamedTensors& tensors);

struct ExpectedTensor {
    std::string name;
    std::vector<int64_t> shape;
};

// readCheckpoint after checking every name and shape strictly against `expected` (checkStrict)
// before any tensor data is read or allocated: a checkpoint that does not fit the model costs nothing.
NamedTensors readCheckpoint(const std::string& path, const std::vector<ExpectedTensor>& expected);
// A training framework's checkpoint keeps the model's tensors under the name of the attribute that
// held the model ("model." in a PyTorch Lightning .ckpt, whose other entries are training state).
// Reads the tensors whose names start with `prefix`, with the prefix removed, and checks them
// strictly; tensors outside the prefix are ignored. Without a prefix (nullopt) it is found: none
// when some name is one the model expects, else the part before the model's first expected name
// in the first name that ends with it. An empty prefix takes every tensor as it is.
NamedTensors readCheckpoint(const std::string& path, const std::vector<ExpectedTensor>& expected,
                            const std::optional<std::string>& prefix);
// The prefix readCheckpoint(path, expected, nullopt) would use for a tensor index ("" for none).
std::string detectStateDictPrefix(const NamedTensors& index, const std::vector<ExpectedTensor>& expected);
// readCheckpoint with any check of the tensor index (names and shapes, values empty).
NamedTensors readCheckpoint(const std::string& path, const TensorIndexCheck& check);

// Strict matching, like PyTorch's load_state_dict(strict=True): throws one Error that names every
// missing key, every unexpected key and every shape mismatch. `source` names the file in the message.
void checkStrict(const NamedTensors& tensors, const std::vector<ExpectedTensor>& expected,
                 const std::string& source);

}  // namespace s4scope
