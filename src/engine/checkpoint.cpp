// Checkpoint dispatch (.pt/.pth zip archives, .safetensors) and strict key/shape matching.
#include "s4scope/checkpoint.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <unordered_map>

#include "pickle_reader.h"
#include "pickle_writer.h"
#include "pt_archive.h"
#include "s4scope/error.h"
#include "safetensors.h"

namespace s4scope {
namespace {

enum class Format { Unknown, TorchZip, Safetensors };

std::string lowerExtension(const std::string& path) {
    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return ext;
}

Format formatFromExtension(const std::string& path) {
    const std::string ext = lowerExtension(path);
    if (ext == ".pt" || ext == ".pth") return Format::TorchZip;
    if (ext == ".safetensors") return Format::Safetensors;
    return Format::Unknown;
}

// Recognises the two formats by their first bytes, so a mislabelled file (or pytorch_model.bin)
// still reads: a zip local header (or a legacy torch pickle, which the zip reader explains), or a
// plausible safetensors header length followed by '{'.
Format formatFromContent(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    unsigned char head[9] = {};
    in.read(reinterpret_cast<char*>(head), 9);
    const auto got = in.gcount();
    if (got >= 4 && std::memcmp(head, "PK\x03\x04", 4) == 0) return Format::TorchZip;
    if (got == 9 && head[8] == '{') {  // before the pickle test: a length may start with 0x80
        uint64_t n = 0;
        for (int k = 7; k >= 0; --k) n = (n << 8) | head[k];
        if (n >= 2 && n <= 100ull * 1000 * 1000) return Format::Safetensors;
    }
    if (got >= 2 && head[0] == 0x80) return Format::TorchZip;
    return Format::Unknown;
}

NamedTensors readTorchZip(const std::string& path) {
    detail::PtArchiveReader archive(path);
    const detail::RecordBytes pickle = archive.read("data.pkl");
    const detail::StorageLoader load = [&archive](const std::string& key) { return archive.read("data/" + key); };
    return detail::readStateDictPickle(pickle.data, pickle.size, load, path);
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

std::string joinQuoted(const std::vector<std::string>& names) {
    std::string s;
    for (size_t i = 0; i < names.size(); ++i) s += (i ? ", \"" : "\"") + names[i] + "\"";
    return s;
}

}  // namespace

NamedTensors readCheckpoint(const std::string& path) {
    const Format byExtension = formatFromExtension(path);
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) throw Error("Checkpoint '" + path + "' does not exist");
    const Format byContent = formatFromContent(path);
    const Format format = byContent != Format::Unknown ? byContent : byExtension;
    try {
        switch (format) {
            case Format::TorchZip: return readTorchZip(path);
            case Format::Safetensors: return detail::readSafetensors(path);
            case Format::Unknown: break;
        }
    } catch (const std::bad_alloc&) {  // sizes are checked against the file, but it may just be big
        throw Error("Checkpoint '" + path + "': not enough memory to load it");
    }
    throw Error("Checkpoint '" + path + "' has an unsupported extension '" + lowerExtension(path) +
                "' and is neither a torch.save zip archive nor a safetensors file (expected .pt, .pth or .safetensors)");
}

void writeCheckpoint(const std::string& path, const NamedTensors& tensors) {
    const Format format = formatFromExtension(path);
    if (format == Format::Unknown)
        throw Error("Cannot write checkpoint '" + path + "': unsupported extension '" + lowerExtension(path) +
                    "' (use .pt, .pth or .safetensors)");
    validateForWriting(path, tensors);
    if (format == Format::Safetensors) return detail::writeSafetensors(path, tensors);

    const std::string pickle = detail::writeStateDictPickle(tensors);
    std::vector<std::string> names;  // storage i of the pickle is record data/<i>
    std::vector<detail::ArchiveRecord> records;
    names.reserve(tensors.size());
    records.push_back({"data.pkl", pickle.data(), pickle.size()});
    for (size_t i = 0; i < tensors.size(); ++i) names.push_back("data/" + std::to_string(i));
    for (size_t i = 0; i < tensors.size(); ++i)
        records.push_back({names[i], tensors[i].second.values.data(), tensors[i].second.values.size() * sizeof(float)});
    detail::writePtArchive(path, records);
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
