// The table of checkpoint formats: extensions, how to recognise each by content, its reader and
// its writer. Adding a format is one row here plus its reader/writer file.
#include "s4scope/checkpoint_formats.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>

#include "io/input_limits.h"
#include "io/pickle_reader.h"
#include "io/pickle_writer.h"
#include "io/pt_archive.h"
#include "io/safetensors.h"
#include "s4scope/error.h"

namespace s4scope {
namespace {

// A plausible 8-byte little-endian header length followed by '{'.
bool looksLikeSafetensors(const unsigned char* head, size_t size) {
    if (size < 9 || head[8] != '{') return false;
    uint64_t n = 0;
    for (int k = 7; k >= 0; --k) n = (n << 8) | head[k];
    return n >= 2 && n <= 100ull * 1000 * 1000;
}

// A zip local header, or a legacy torch pickle (protocol 2+, which the zip reader explains) unless
// the bytes are a safetensors header, whose length may begin with the pickle's 0x80.
bool looksLikeTorchZip(const unsigned char* head, size_t size) {
    if (size >= 4 && std::memcmp(head, "PK\x03\x04", 4) == 0) return true;
    return size >= 2 && head[0] == 0x80 && !looksLikeSafetensors(head, size);
}

NamedTensors readTorchZip(const std::string& path, const TensorIndexCheck& check) {
    detail::PtArchiveReader archive(path);
    const detail::RecordBytes pickle = archive.read("data.pkl", detail::kMaxPickleBytes);
    const detail::StorageLoader load = [&archive](const std::string& key, uint64_t declaredBytes) {
        return archive.read("data/" + key, declaredBytes);
    };
    const detail::StorageSizer size = [&archive](const std::string& key) { return archive.size("data/" + key); };
    return detail::readStateDictPickle(pickle.data, pickle.size, load, path, check, size);
}

void writeTorchZip(const std::string& path, const NamedTensors& tensors) {
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

// A Lightning checkpoint is training state around a state dict; a bare state dict named .ckpt would
// only mislead Lightning's load_from_checkpoint.
void refuseLightningWrite(const std::string& path, const NamedTensors&) {
    throw Error("Cannot write checkpoint '" + path + "': s4scope reads PyTorch Lightning checkpoints but writes "
                "plain state dicts (.pt, .pth or .safetensors)");
}

}  // namespace

const std::vector<CheckpointFormat>& checkpointFormats() {
    static const std::vector<CheckpointFormat> formats = {
        {"PyTorch state dict", {".pt", ".pth"}, looksLikeTorchZip, readTorchZip, writeTorchZip},
        {"safetensors", {".safetensors"}, looksLikeSafetensors, detail::readSafetensors, detail::writeSafetensors},
        // torch.save's archive too; the model's state dict is its "state_dict" entry, under the
        // prefix of the attribute that held the model (readCheckpoint with a prefix).
        {"PyTorch Lightning checkpoint", {".ckpt"}, looksLikeTorchZip, readTorchZip, refuseLightningWrite},
    };
    return formats;
}

const CheckpointFormat* checkpointFormatFor(const std::string& path) {
    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    for (const auto& format : checkpointFormats())
        if (std::find(format.extensions.begin(), format.extensions.end(), ext) != format.extensions.end())
            return &format;
    return nullptr;
}

std::vector<std::string> checkpointExtensions() {
    std::vector<std::string> all;
    for (const auto& format : checkpointFormats())
        all.insert(all.end(), format.extensions.begin(), format.extensions.end());
    return all;
}

std::string checkpointNamesForMessages(const std::string& stem) {
    const auto all = checkpointExtensions();
    std::string text;
    for (size_t i = 0; i < all.size(); ++i)
        text += (i == 0 ? "" : i + 1 == all.size() ? " or " : ", ") + stem + all[i];
    return text;
}

const std::string& modelConfigSuffix() {
    static const std::string suffix = "_config.json";
    return suffix;
}

}  // namespace s4scope
