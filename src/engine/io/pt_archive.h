#pragma once
// The zip container of torch.save (PyTorch >= 1.6): `<name>/data.pkl`, `<name>/data/<key>`,
// `<name>/version`. Reading and writing go through libtorch's caffe2 PyTorchStreamReader/Writer;
// this header keeps torch types out of its users. Every failure is an s4scope::Error naming the file.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace s4scope::detail {

// Bytes of one archive record; `owner` keeps the buffer alive.
struct RecordBytes {
    std::shared_ptr<void> owner;
    const uint8_t* data = nullptr;
    size_t size = 0;
};

// True if the file starts like PyTorch's legacy (pre-1.6) torch.save format: a bare pickle of the
// long magic number 0x1950a86a20f9469cfc6c.
bool isLegacyTorchFile(const std::string& path);

struct ZipEntry;

class PtArchiveReader {
public:
    // Opens and checks the archive. Throws Error for a missing file, the legacy format, a non-zip
    // or truncated/corrupt zip, and for archives without `data.pkl` (e.g. TorchScript modules).
    explicit PtArchiveReader(const std::string& path);
    ~PtArchiveReader();
    PtArchiveReader(const PtArchiveReader&) = delete;
    PtArchiveReader& operator=(const PtArchiveReader&) = delete;

    bool has(const std::string& record) const;
    // `record` is named without the archive prefix. A record whose size in the zip directory exceeds
    // `maxBytes` is refused before anything is decompressed or allocated.
    RecordBytes read(const std::string& record, uint64_t maxBytes) const;
    // The record's size after decompression, from the zip directory (nothing is read).
    uint64_t size(const std::string& record) const;
    const std::string& path() const { return path_; }

private:
    struct Impl;
    const ZipEntry* entry(const std::string& record) const;  // null if not in the directory
    std::unique_ptr<Impl> impl_;
    std::string path_;
};

struct ArchiveRecord {
    std::string name;  // e.g. "data.pkl", "data/0"
    const void* data;
    size_t size;
};

// Writes the records (plus `version`, which libtorch adds) to `path` through a temporary file in the
// same folder, renamed into place only once complete. The archive folder is the file's stem, as
// Python's torch.save names it.
void writePtArchive(const std::string& path, const std::vector<ArchiveRecord>& records);

}  // namespace s4scope::detail
