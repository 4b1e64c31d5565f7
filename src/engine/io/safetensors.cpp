// .safetensors reading and writing (format: https://github.com/huggingface/safetensors).
// Nothing in the header is trusted: its length is checked against the file, every offset against
// the data region and against shape x dtype, before any byte is read.
#include "io/safetensors.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "model/dtype.h"
#include "s4scope/error.h"

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;  // keeps the header's tensor order

namespace s4scope::detail {
namespace {

constexpr uint64_t kMaxHeader = 100ull * 1000 * 1000;  // the reference implementation's limit

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

NamedTensors readSafetensors(const std::string& path) {
    auto error = [&](const std::string& why) { return Error("Safetensors file '" + path + "': " + why); };
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) throw error("does not exist or is not a regular file");
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
        throw error("header length " + std::to_string(headerLen) + " exceeds the 100 MB limit (corrupt or not a safetensors file)");
    if (headerLen > fileSize - 8)
        throw error("header length " + std::to_string(headerLen) + " runs past the end of the file (" +
                    std::to_string(fileSize) + " bytes): truncated or corrupt");
    std::string headerText(headerLen, '\0');
    in.read(&headerText[0], std::streamsize(headerLen));
    if (!in) throw error("cannot read the header");

    json header;
    try {
        header = json::parse(headerText);
    } catch (const json::exception& e) {
        throw error(std::string("header is not valid JSON: ") + e.what());
    }
    if (!header.is_object()) throw error("header is not a JSON object");

    const uint64_t dataStart = 8 + headerLen;
    const uint64_t dataSize = fileSize - dataStart;
    NamedTensors out;
    for (const auto& [name, info] : header.items()) {
        if (name == "__metadata__") {
            if (!info.is_object()) throw error("__metadata__ is not an object");
            continue;
        }
        const std::string what = "tensor '" + name + "'";
        if (!info.is_object()) throw error(what + " is not described by an object");
        if (!info.contains("dtype") || !info["dtype"].is_string()) throw error(what + " has no dtype");
        DType dtype;
        const std::string dtypeText = info["dtype"].get<std::string>();
        if (!parseDType(dtypeText, dtype)) throw error(what + " has unsupported dtype '" + dtypeText + "'");

        if (!info.contains("shape") || !info["shape"].is_array()) throw error(what + " has no shape");
        TensorData tensor;
        uint64_t numel = 1;
        for (const json& d : info["shape"]) {
            int64_t n;
            if (!nonNegativeInt(d, n)) throw error(what + " has an invalid shape entry " + d.dump());
            tensor.shape.push_back(n);
            if (__builtin_mul_overflow(numel, uint64_t(n), &numel)) throw error(what + " has a shape that overflows");
        }

        const json* offsets = info.contains("data_offsets") ? &info["data_offsets"] : nullptr;
        int64_t begin, end;
        if (!offsets || !offsets->is_array() || offsets->size() != 2 || !nonNegativeInt((*offsets)[0], begin) ||
            !nonNegativeInt((*offsets)[1], end))
            throw error(what + " needs data_offsets [begin, end] of non-negative integers");
        if (begin > end || uint64_t(end) > dataSize)
            throw error(what + " has data_offsets [" + std::to_string(begin) + ", " + std::to_string(end) +
                        "] outside the " + std::to_string(dataSize) + " data bytes (truncated or corrupt)");
        uint64_t bytes;
        if (__builtin_mul_overflow(numel, uint64_t(dtypeSize(dtype)), &bytes) || bytes != uint64_t(end - begin))
            throw error(what + " of shape " + shapeToString(tensor.shape) + " and dtype " + dtypeText + " needs " +
                        std::to_string(numel) + " x " + std::to_string(dtypeSize(dtype)) + " bytes, but its data_offsets span " +
                        std::to_string(end - begin));

        std::vector<uint8_t> raw(size_t(end - begin));
        in.seekg(std::streamoff(dataStart + uint64_t(begin)));
        in.read(reinterpret_cast<char*>(raw.data()), std::streamsize(raw.size()));
        if (!in) throw error("cannot read the data of " + what);
        tensor.values.resize(size_t(numel));
        convertToFloat(dtype, raw.data(), size_t(numel), tensor.values.data());
        out.emplace_back(name, std::move(tensor));
    }
    return out;
}

void writeSafetensors(const std::string& path, const NamedTensors& tensors) {
    json header = json::object();
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
