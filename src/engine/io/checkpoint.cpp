// Checkpoint reading and writing through the formats table, and strict key/shape matching.
#include "s4scope/checkpoint.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <unordered_map>

#include "io/input_limits.h"
#include "s4scope/checkpoint_formats.h"
#include "s4scope/error.h"

namespace s4scope {
namespace {

std::string lowerExtension(const std::string& path) {
    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return ext;
}

// By content first, so a mislabelled file (or pytorch_model.bin) still reads; else by extension.
const CheckpointFormat* formatOf(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    unsigned char head[9] = {};
    in.read(reinterpret_cast<char*>(head), sizeof head);
    const auto got = static_cast<size_t>(in.gcount());
    for (const auto& format : checkpointFormats())
        if (format.recognises(head, got)) return &format;
    return checkpointFormatFor(path);
}

std::string expectedExtensions() {
    const auto all = checkpointExtensions();
    std::string text;
    for (size_t i = 0; i < all.size(); ++i) text += (i == 0 ? "" : i + 1 == all.size() ? " or " : ", ") + all[i];
    return text;
}

void validateForWriting(const std::string& path, const NamedTensors& tensors) {
    std::set<std::string> seen;
    for (const auto& [name, tensor] : tensors) {
        const std::string where = "Cannot write checkpoint '" + path + "': tensor '" + name + "'";
        if (name.empty()) throw Error("Cannot write checkpoint '" + path + "': a tensor has an empty name");
        if (!seen.insert(name).second) throw Error(where + " appears twice");
        for (int64_t d : tensor.shape)
            if (d < 0) throw Error(where + " has a negative dimension in " + shapeToString(tensor.shape));
        if (int64_t(tensor.values.size()) != tensor.numel())
            throw Error(where + " has " + std::to_string(tensor.values.size()) + " values for shape " +
                        shapeToString(tensor.shape));
    }
}

// The first 20 names (each cut to 80 characters), then a count: a hostile file may hold 100,000.
std::string joinQuoted(const std::vector<std::string>& names) {
    constexpr size_t kShown = 20;
    std::string s;
    for (size_t i = 0; i < names.size() && i < kShown; ++i) s += (i ? ", \"" : "\"") + detail::abbreviated(names[i]) + "\"";
    if (names.size() > kShown) s += ", and " + std::to_string(names.size() - kShown) + " more";
    return s;
}

}  // namespace

NamedTensors readCheckpoint(const std::string& path) { return readCheckpoint(path, TensorIndexCheck{}); }

NamedTensors readCheckpoint(const std::string& path, const std::vector<ExpectedTensor>& expected) {
    return readCheckpoint(path, [&](const NamedTensors& index) { checkStrict(index, expected, path); });
}

std::string detectStateDictPrefix(const NamedTensors& index, const std::vector<ExpectedTensor>& expected) {
    if (expected.empty()) return "";
    std::set<std::string> wanted;
    for (const ExpectedTensor& e : expected) wanted.insert(e.name);
    for (const auto& entry : index)
        if (wanted.count(entry.first)) return "";
    const std::string& first = expected.front().name;
    for (const auto& [name, tensor] : index)
        if (name.size() > first.size() && name.compare(name.size() - first.size(), first.size(), first) == 0 &&
            name[name.size() - first.size() - 1] == '.')
            return name.substr(0, name.size() - first.size());
    return "";
}

namespace {

NamedTensors underPrefix(const NamedTensors& tensors, const std::string& prefix) {
    NamedTensors out;
    for (const auto& [name, tensor] : tensors)
        if (name.compare(0, prefix.size(), prefix) == 0) out.emplace_back(name.substr(prefix.size()), tensor);
    return out;
}

}  // namespace

NamedTensors readCheckpoint(const std::string& path, const std::vector<ExpectedTensor>& expected,
                            const std::optional<std::string>& prefix) {
    std::string used;
    const NamedTensors all = readCheckpoint(path, [&](const NamedTensors& index) {
        used = prefix ? *prefix : detectStateDictPrefix(index, expected);
        const NamedTensors selected = underPrefix(index, used);
        if (selected.empty() && !index.empty())
            throw Error("Checkpoint '" + path + "' has no tensor under the prefix '" + detail::abbreviated(used) +
                        "' (its first tensor is '" + detail::abbreviated(index.front().first) + "')");
        if (used.empty()) return checkStrict(selected, expected, path);
        try {
            checkStrict(selected, expected, path);
        } catch (const Error& e) {
            throw Error(std::string(e.what()) + " (reading the tensors under the prefix '" + detail::abbreviated(used) + "')");
        }
    });
    return used.empty() ? all : underPrefix(all, used);
}

NamedTensors readCheckpoint(const std::string& path, const TensorIndexCheck& check) {
    // Before sniffing the content: a FIFO would block the sniffing read, /dev/zero never ends.
    detail::requireRegularFile(path, "Checkpoint");
    const CheckpointFormat* format = formatOf(path);
    if (!format)
        throw Error("Checkpoint '" + path + "' has an unsupported extension '" + lowerExtension(path) +
                    "' and its content is no known checkpoint format (expected " + expectedExtensions() + ")");
    try {
        return format->read(path, check);
    } catch (const std::bad_alloc&) {  // sizes are checked against the file, but it may just be big
        throw Error("Checkpoint '" + path + "': not enough memory to load it");
    }
}

void writeCheckpoint(const std::string& path, const NamedTensors& tensors) {
    const CheckpointFormat* format = checkpointFormatFor(path);
    if (!format)
        throw Error("Cannot write checkpoint '" + path + "': unsupported extension '" + lowerExtension(path) +
                    "' (use " + expectedExtensions() + ")");
    validateForWriting(path, tensors);
    format->write(path, tensors);
}

void checkStrict(const NamedTensors& tensors, const std::vector<ExpectedTensor>& expected,
                 const std::string& source) {
    std::unordered_map<std::string, const TensorData*> present;
    for (const auto& [name, tensor] : tensors) present.emplace(name, &tensor);
    std::set<std::string> wanted;
    std::vector<std::string> missing, unexpected, mismatches;
    for (const ExpectedTensor& e : expected) {
        wanted.insert(e.name);
        auto it = present.find(e.name);
        if (it == present.end()) {
            missing.push_back(e.name);
        } else if (it->second->shape != e.shape) {
            mismatches.push_back("size mismatch for " + e.name + ": checkpoint " + shapeToString(it->second->shape) +
                                 " vs model " + shapeToString(e.shape));
        }
    }
    for (const auto& entry : tensors)
        if (!wanted.count(entry.first)) unexpected.push_back(entry.first);
    if (missing.empty() && unexpected.empty() && mismatches.empty()) return;

    std::vector<std::string> parts;
    if (!missing.empty()) parts.push_back("Missing key(s): " + joinQuoted(missing));
    if (!unexpected.empty()) parts.push_back("Unexpected key(s): " + joinQuoted(unexpected));
    for (const std::string& m : mismatches) parts.push_back(m);
    std::string message = "Checkpoint '" + source + "' does not match the model: ";
    for (size_t i = 0; i < parts.size(); ++i) message += (i ? "; " : "") + parts[i];
    throw Error(message);
}

}  // namespace s4scope
