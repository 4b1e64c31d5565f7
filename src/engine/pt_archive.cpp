// Zip container IO through libtorch's caffe2 stream reader/writer, with its c10::Errors turned into
// s4scope::Errors that name the file.
#include "pt_archive.h"

#include <caffe2/serialize/inline_container.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "s4scope/error.h"

namespace fs = std::filesystem;

namespace s4scope::detail {
namespace {

std::string quoted(const std::string& path) { return "'" + path + "'"; }

// c10::Error::what() carries a C++ backtrace; users need only the message.
std::string messageOf(const std::exception& e) {
    if (auto* c10e = dynamic_cast<const c10::Error*>(&e)) return c10e->what_without_backtrace();
    return e.what();
}

std::string readPrefix(const std::string& path, size_t n) {
    std::ifstream in(path, std::ios::binary);
    std::string buf(n, '\0');
    in.read(&buf[0], std::streamsize(n));
    buf.resize(size_t(in.gcount()));
    return buf;
}

const char kLegacyPrefix[] = "\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19";

}  // namespace

bool isLegacyTorchFile(const std::string& path) {
    const size_t n = sizeof(kLegacyPrefix) - 1;
    const std::string head = readPrefix(path, n);
    return head.size() == n && std::memcmp(head.data(), kLegacyPrefix, n) == 0;
}

struct PtArchiveReader::Impl {
    std::unique_ptr<caffe2::serialize::PyTorchStreamReader> reader;
};

PtArchiveReader::PtArchiveReader(const std::string& path) : impl_(new Impl), path_(path) {
    std::error_code ec;
    if (!fs::exists(path, ec)) throw Error("Checkpoint " + quoted(path) + " does not exist");
    if (!fs::is_regular_file(path, ec)) throw Error("Checkpoint " + quoted(path) + " is not a regular file");
    const auto size = fs::file_size(path, ec);
    if (ec) throw Error("Cannot read checkpoint " + quoted(path) + ": " + ec.message());
    if (size == 0) throw Error("Checkpoint " + quoted(path) + " is empty (0 bytes)");
    if (isLegacyTorchFile(path))
        throw Error("Checkpoint " + quoted(path) +
                    " uses PyTorch's legacy (pre-1.6) torch.save format, which s4scope does not read. "
                    "Re-save it in Python with PyTorch >= 1.6: "
                    "torch.save(torch.load(path), 'new.pt') (or save as .safetensors)");
    const std::string head = readPrefix(path, 4);
    if (!head.empty() && uint8_t(head[0]) == 0x80)
        throw Error("Checkpoint " + quoted(path) +
                    " is a bare pickle, not the zip archive torch.save writes; re-save it with "
                    "torch.save(state_dict, path) from PyTorch >= 1.6");
    try {
        impl_->reader = std::make_unique<caffe2::serialize::PyTorchStreamReader>(path);
    } catch (const std::exception& e) {
        throw Error("Checkpoint " + quoted(path) +
                    " is not a PyTorch zip archive, or is truncated or corrupt: " + messageOf(e));
    }
    if (!has("data.pkl")) {
        if (has("constants.pkl") || has("code/__torch__.py"))
            throw Error("Checkpoint " + quoted(path) +
                        " is a TorchScript module (torch.jit.save), not a state dict; save "
                        "model.state_dict() with torch.save instead");
        throw Error("Checkpoint " + quoted(path) + " is a zip archive without data.pkl, not a torch.save file");
    }
    // PyTorch >= 2.1 records the byte order; s4scope reads little-endian data only.
    if (has("byteorder")) {
        const RecordBytes order = read("byteorder");
        const std::string value(reinterpret_cast<const char*>(order.data), order.size);
        if (value.rfind("little", 0) != 0)
            throw Error("Checkpoint " + quoted(path) + " stores " + value +
                        "-endian data; only little-endian checkpoints are supported");
    }
}

PtArchiveReader::~PtArchiveReader() = default;

bool PtArchiveReader::has(const std::string& record) const {
    try {
        return impl_->reader->hasRecord(record);
    } catch (const std::exception& e) {
        throw Error("Checkpoint " + quoted(path_) + " is corrupt: " + messageOf(e));
    }
}

RecordBytes PtArchiveReader::read(const std::string& record) const {
    if (!has(record))
        throw Error("Checkpoint " + quoted(path_) + " lacks the archive record '" + record + "'");
    try {
        auto [ptr, size] = impl_->reader->getRecord(record);
        auto holder = std::make_shared<at::DataPtr>(std::move(ptr));
        RecordBytes out;
        out.data = static_cast<const uint8_t*>(holder->get());
        out.size = size;
        out.owner = std::move(holder);
        return out;
    } catch (const std::exception& e) {
        throw Error("Checkpoint " + quoted(path_) + ": cannot read record '" + record +
                    "' (truncated or corrupt archive): " + messageOf(e));
    }
}

void writePtArchive(const std::string& path, const std::vector<ArchiveRecord>& records) {
    // libtorch names the archive folder after the stem of the file it opens (all before the last
    // '.'), so "<stem>.s4tmp-<pid>-<n>" gets the same folder name as "<stem>.pt".
    static std::atomic<int> counter{0};
    const fs::path target(path);
    const fs::path tmp = target.parent_path() /
        (target.stem().string() + ".s4tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    caffe2::serialize::PyTorchStreamWriter* writer = nullptr;
    try {
        writer = new caffe2::serialize::PyTorchStreamWriter(tmp.string());
        for (const ArchiveRecord& r : records) writer->writeRecord(r.name, r.data, r.size);
        writer->writeEndOfFile();
        delete writer;
    } catch (const std::exception& e) {
        // libtorch 1.13's writer destructor finishes the archive and throws again if the first
        // failure was an IO error, which would terminate the program: once it is finalised it is
        // safe to delete, otherwise it is deliberately leaked (a rare IO failure, a small leak).
        if (writer && writer->finalized()) delete writer;
        std::error_code ignored;
        fs::remove(tmp, ignored);
        throw Error("Cannot write checkpoint '" + path + "': " + messageOf(e));
    }
    std::error_code ec;
    fs::rename(tmp, target, ec);
    if (ec) {
        std::error_code ignored;
        fs::remove(tmp, ignored);
        throw Error("Cannot write checkpoint '" + path + "': " + ec.message());
    }
}

}  // namespace s4scope::detail
