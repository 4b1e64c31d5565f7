// .safetensors reading and writing (format: https://github.com/huggingface/safetensors).
// Nothing in the header is trusted: its length is checked against the file, every offset against
// the data region and against shape x dtype, before any byte is read.
#include "io/safetensors.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "io/input_limits.h"
#include "model/dtype.h"
#include "s4scope/error.h"

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace s4scope::detail {
namespace {

// The reference implementation allows 100 MB; a state dict's header takes ~100 bytes per tensor,
// so 16 MiB is ~150,000 tensors, and bounds the parse to well under a second and ~300 MB.
constexpr uint64_t kMaxHeader = 16ull << 20;

bool parseDType(const std::string& s, DType& out) {
    static const std::pair<const char*, DType> table[] = {
        {"F32", DType::Float32}, {"F64", DType::Float64}, {"F16", DType::Float16}, {"BF16", DType::BFloat16},
        {"I64", DType::Int64},   {"I32", DType::Int32},   {"I16", DType::Int16},   {"I8", DType::Int8},
        {"U8", DType::UInt8},    {"BOOL", DType::Bool}};
    for (const auto& [name, t] : table)
        if (s == name) { out = t; return true; }
    return false;
}

// A JSON integer in [0, 2^63).
bool nonNegativeInt(const json& j, int64_t& out) {
    if (j.is_number_unsigned()) {
        const uint64_t u = j.get<uint64_t>();
        if (u > uint64_t(INT64_MAX)) return false;
        out = int64_t(u);
        return true;
    }
    if (j.is_number_integer()) {
        out = j.get<int64_t>();
        return out >= 0;
    }
    return false;
}

}  // namespace

NamedTensors readSafetensors(const std::string& path, const TensorIndexCheck& check) {
    auto error = [&](const std::string& why) { return Error("Safetensors file '" + path + "': " + why); };
    requireRegularFile(path, "Safetensors file");  // a FIFO or device would block or never end
    std::error_code ec;
    const uint64_t fileSize = fs::file_size(path, ec);
    if (ec) throw error("cannot read: " + ec.message());
    std::ifstream in(path, std::ios::binary);
    if (!in) throw error("cannot open for reading");
    if (fileSize < 8) throw error("is too short (" + std::to_string(fileSize) + " bytes) to hold a header length");

    unsigned char lenBytes[8];
    in.read(reinterpret_cast<char*>(lenBytes), 8);
    uint64_t headerLen = 0;
    for (int k = 7; k >= 0; --k) headerLen = (headerLen << 8) | lenBytes[k];
    if (headerLen > kMaxHeader)
        throw error("header length " + std::to_string(headerLen) + " exceeds the 16 MiB limit (corrupt, not a safetensors file, or far more tensors than a model has)");
    if (headerLen > fileSize - 8)
        throw error("header length " + std::to_string(headerLen) + " runs past the end of the file (" +
                    std::to_string(fileSize) + " bytes): truncated or corrupt");
    std::string headerText(headerLen, '\0');
    in.read(&headerText[0], std::streamsize(headerLen));
    if (!in) throw error("cannot read the header");

    // Nesting is bounded before the parser sees the text; a std::map-backed object keeps parsing
    // O(n log n) in the tensor count (an insertion-ordered object is quadratic).
    const std::string tooDeep = jsonNestingProblem(headerText);
    if (!tooDeep.empty()) throw error("header is not a safetensors header: " + tooDeep);
    json header;
    try {
        header = json::parse(headerText);
    } catch (const json::exception& e) {
        throw error(std::string("header is not valid JSON: ") + e.what());
    }
    headerText = std::string();
    if (!header.is_object()) throw error("header is not a JSON object");

    const uint64_t dataStart = 8 + headerLen;
    const uint64_t dataSize = fileSize - dataStart;
    struct Entry {
        std::string name;
        DType dtype;
        std::vector<int64_t> shape;
        uint64_t numel, begin, end;
    };
    std::vector<Entry> entries;
    entries.reserve(header.size());
    for (const auto& [name, info] : header.items()) {
        if (name == "__metadata__") {
            if (!info.is_object()) throw error("__metadata__ is not an object");
            continue;
        }
        const std::string what = "tensor '" + abbreviated(name) + "'";
        if (!info.is_object()) throw error(what + " is not described by an object");
        const auto dtypeIt = info.find("dtype");
        if (dtypeIt == info.end() || !dtypeIt->is_string()) throw error(what + " has no dtype");
        Entry e;
        e.name = name;
        const std::string dtypeText = dtypeIt->get<std::string>();
        if (!parseDType(dtypeText, e.dtype)) throw error(what + " has unsupported dtype '" + abbreviated(dtypeText) + "'");

        const auto shapeIt = info.find("shape");
        if (shapeIt == info.end() || !shapeIt->is_array()) throw error(what + " has no shape");
        if (shapeIt->size() > 32) throw error(what + " has more than 32 dimensions");
        e.numel = 1;
        for (const json& d : *shapeIt) {
            int64_t n;
            if (!nonNegativeInt(d, n)) throw error(what + " has an invalid shape entry " + abbreviated(d.dump()));
            e.shape.push_back(n);
            if (__builtin_mul_overflow(e.numel, uint64_t(n), &e.numel)) throw error(what + " has a shape that overflows");
        }

        const auto offsetsIt = info.find("data_offsets");
        int64_t begin, end;
        if (offsetsIt == info.end() || !offsetsIt->is_array() || offsetsIt->size() != 2 ||
            !nonNegativeInt((*offsetsIt)[0], begin) || !nonNegativeInt((*offsetsIt)[1], end))
            throw error(what + " needs data_offsets [begin, end] of non-negative integers");
        if (begin > end || uint64_t(end) > dataSize)
            throw error(what + " has data_offsets [" + std::to_string(begin) + ", " + std::to_string(end) +
                        "] outside the " + std::to_string(dataSize) + " data bytes (truncated or corrupt)");
        uint64_t bytes;
        if (__builtin_mul_overflow(e.numel, uint64_t(dtypeSize(e.dtype)), &bytes) || bytes != uint64_t(end - begin))
            throw error(what + " of shape " + shapeToString(e.shape) + " and dtype " + dtypeText + " needs " +
                        std::to_string(e.numel) + " x " + std::to_string(dtypeSize(e.dtype)) + " bytes, but its data_offsets span " +
                        std::to_string(end - begin));
        e.begin = uint64_t(begin);
        e.end = uint64_t(end);
        entries.push_back(std::move(e));
    }
    header = json();

    // The reference implementation's rule: the tensors tile the data region without gaps or
    // overlaps. So no two tensors read the same bytes, and the output is bounded by the file.
    std::vector<size_t> byOffset(entries.size());
    for (size_t k = 0; k < byOffset.size(); ++k) byOffset[k] = k;
    std::sort(byOffset.begin(), byOffset.end(), [&](size_t a, size_t b) {
        return entries[a].begin != entries[b].begin ? entries[a].begin < entries[b].begin : entries[a].end < entries[b].end;
    });
    uint64_t covered = 0;
    int64_t totalElements = 0;
    for (size_t k : byOffset) {
        const Entry& e = entries[k];
        if (e.begin != covered)
            throw error("tensor '" + abbreviated(e.name) + "' starts at data byte " + std::to_string(e.begin) + ", expected " +
                        std::to_string(covered) + (e.begin < covered ? " (tensors overlap)" : " (a gap in the data)"));
        covered = e.end;
        totalElements += int64_t(e.numel);  // numel <= dataSize, so no overflow
    }
    if (covered != dataSize)
        throw error("the tensors cover " + std::to_string(covered) + " of the " + std::to_string(dataSize) +
                    " data bytes (trailing data: corrupt or not a safetensors file)");

    // In data order, which is the order the file was written in.
    NamedTensors index;
    index.reserve(entries.size());
    for (size_t k : byOffset) index.emplace_back(entries[k].name, TensorData{entries[k].shape, {}});
    if (check) check(index);  // the model's names and shapes: the most telling reason
    if (totalElements > kMaxCheckpointElements)
        throw error("holds " + std::to_string(totalElements) + " elements, more than the limit of " +
                    std::to_string(kMaxCheckpointElements));

    std::vector<uint8_t> raw;
    for (size_t i = 0; i < byOffset.size(); ++i) {
        const Entry& e = entries[byOffset[i]];
        raw.resize(size_t(e.end - e.begin));
        in.seekg(std::streamoff(dataStart + e.begin));
        in.read(reinterpret_cast<char*>(raw.data()), std::streamsize(raw.size()));
        if (!in) throw error("cannot read the data of tensor '" + abbreviated(e.name) + "'");
        TensorData& tensor = index[i].second;
        tensor.values.resize(size_t(e.numel));
        convertToFloat(e.dtype, raw.data(), size_t(e.numel), tensor.values.data());
    }
    return index;
}

void writeSafetensors(const std::string& path, const NamedTensors& tensors) {
    // Insertion order: the header lists the tensors in data order, as the reference writer does.
    nlohmann::ordered_json header = nlohmann::ordered_json::object();
    header["__metadata__"] = {{"format", "pt"}};
    uint64_t offset = 0;
    for (const auto& [name, tensor] : tensors) {
        const uint64_t bytes = tensor.values.size() * sizeof(float);
        header[name] = {{"dtype", "F32"}, {"shape", tensor.shape}, {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
    }
    std::string text = header.dump();
    text.append((8 - text.size() % 8) % 8, ' ');  // the reference writer pads the header to 8 bytes

    static std::atomic<int> counter{0};
    const std::string tmp = path + ".s4tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw Error("Cannot write safetensors file '" + path + "': cannot create a file in its folder");
        unsigned char lenBytes[8];
        for (int k = 0; k < 8; ++k) lenBytes[k] = uint8_t((uint64_t(text.size()) >> (8 * k)) & 0xff);
        out.write(reinterpret_cast<const char*>(lenBytes), 8);
        out.write(text.data(), std::streamsize(text.size()));
        for (const auto& entry : tensors)
            out.write(reinterpret_cast<const char*>(entry.second.values.data()),
                      std::streamsize(entry.second.values.size() * sizeof(float)));
        out.close();
        if (!out) {
            std::error_code ignored;
            fs::remove(tmp, ignored);
            throw Error("Cannot write safetensors file '" + path + "': write failed (disk full?)");
        }
    }
    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec) {
        std::error_code ignored;
        fs::remove(tmp, ignored);
        throw Error("Cannot write safetensors file '" + path + "': " + ec.message());
    }
}

}  // namespace s4scope::detail
