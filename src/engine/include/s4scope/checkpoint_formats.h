#pragma once
// The checkpoint formats the engine reads and writes, as one table: model resolution, the file
// dialogs and the command line all ask it, so adding a format is one row (and its reader/writer).
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "s4scope/tensor_data.h"

namespace s4scope {

// Called by a reader with every tensor's name and shape (values left empty) once the file's index
// is parsed, before any tensor data is read or allocated; it throws Error to stop the load (e.g.
// checkStrict against the model's expected tensors).
using TensorIndexCheck = std::function<void(const NamedTensors& index)>;

struct CheckpointFormat {
    std::string name;                     // shown in dialogs and messages, e.g. "PyTorch state dict"
    std::vector<std::string> extensions;  // lower case, with the dot; the first is the one written
    // Whether a file's first bytes look like this format (so a mislabelled file still reads).
    bool (*recognises)(const unsigned char* head, size_t size);
    NamedTensors (*read)(const std::string& path, const TensorIndexCheck& check);  // throws Error naming the file
    void (*write)(const std::string& path, const NamedTensors& tensors);  // checked float32 tensors
};

// In order of preference when several weight files sit beside one config.
const std::vector<CheckpointFormat>& checkpointFormats();

// The format whose extension `path` has (case-insensitive), or null.
const CheckpointFormat* checkpointFormatFor(const std::string& path);

// Every extension of every format, in table order (".pt", ".pth", ".safetensors", ...).
std::vector<std::string> checkpointExtensions();

// "NAME.pt, NAME.pth or NAME.safetensors": for messages that list what was expected.
std::string checkpointNamesForMessages(const std::string& stem = "NAME");

// The suffix that names a model's config beside its weights: NAME_config.json.
const std::string& modelConfigSuffix();

}  // namespace s4scope
