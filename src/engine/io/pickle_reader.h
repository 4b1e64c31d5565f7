#pragma once
// A whitelisting pickle interpreter for the `data.pkl` of a torch.save archive. It understands
// the opcodes Python's pickle protocols 2-5 use for a state dict and builds plain values; the only
// callables it knows are the few a state dict needs (collections.OrderedDict,
// torch._utils._rebuild_tensor_v2, torch._utils._rebuild_parameter), and every other global is
// refused the moment the pickle names it. Nothing in a pickle can make it run code.
#include <cstdint>
#include <functional>
#include <string>

#include "model/dtype.h"
#include "io/input_limits.h"
#include "io/pt_archive.h"
#include "s4scope/checkpoint_formats.h"
#include "s4scope/tensor_data.h"

namespace s4scope::detail {

// Returns the raw bytes of storage `key` (the archive record `data/<key>`), refusing a record larger
// than `declaredBytes` (what the pickle declares) before reading it. Called once per key, only for
// storages that a tensor actually uses, after the tensor index has been checked.
using StorageLoader = std::function<RecordBytes(const std::string& key, uint64_t declaredBytes)>;
// Returns the size in bytes of storage record `key` without reading it (the zip directory's
// figure), throwing Error if there is no such record. Lets every declared storage size be checked
// against the file before anything is read; optional.
using StorageSizer = std::function<uint64_t(const std::string& key)>;

struct PickleLimits {
    size_t maxMemo = 1u << 20;         // memo entries
    size_t maxStack = 1u << 20;        // values on the stack
    size_t maxMarks = 1u << 16;        // open MARKs
    size_t maxValues = 1u << 20;       // objects built (a state dict needs ~25 per tensor)
    size_t maxRank = 32;               // tensor dimensions
    // Elements that tensors may add beyond their storages (zero strides, overlapping views), so a
    // tiny file cannot ask for gigabytes.
    int64_t maxExpandedElements = int64_t(1) << 22;
    int64_t maxElements = kMaxCheckpointElements;  // all tensors together
};

// Interprets `pickle` and returns the state dict it describes, tensors converted to float32.
// The top-level object must be a dict of tensors (an OrderedDict as torch.save(state_dict) writes,
// or a plain dict); a dict holding the state dict under "state_dict", "model_state_dict" or
// "model" is accepted too. `source` names the file in errors. `checkIndex` (if set) sees every name
// and shape before any storage is read; it throws to stop the load.
NamedTensors readStateDictPickle(const uint8_t* pickle, size_t size, const StorageLoader& loadStorage,
                                 const std::string& source, const TensorIndexCheck& checkIndex = {},
                                 const StorageSizer& storageSize = {}, const PickleLimits& limits = {});

}  // namespace s4scope::detail
