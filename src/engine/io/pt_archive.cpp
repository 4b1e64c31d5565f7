// Zip container IO through libtorch's caffe2 stream reader/writer, with its c10::Errors turned into
// s4scope::Errors that name the file.
#include "io/pt_archive.h"

#include <caffe2/serialize/inline_container.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <unordered_map>

#include "io/input_limits.h"
#include "s4scope/error.h"

namespace fs = std::filesystem;

namespace s4scope::detail {

struct ZipEntry {
    uint32_t crc = 0;
    uint16_t method = 0;  // 0 stored, 8 deflated
    uint64_t compressedSize = 0;
    uint64_t size = 0;
    uint64_t localHeaderOffset = 0;
};

namespace {

std::string quoted(const std::string& path) { return "'" + path + "'"; }

// c10::Error::what() carries a C++ backtrace; users need only the message.
std::string messageOf(const std::exception& e) {
    std::string m = e.what();
    if (auto* c10e = dynamic_cast<const c10::Error*>(&e)) m = c10e->what_without_backtrace();
    const size_t noise = m.find("  (Could this error message be improved?");
    return noise == std::string::npos ? m : m.substr(0, noise);
}

std::string readPrefix(const std::string& path, size_t n) {
    std::ifstream in(path, std::ios::binary);
    std::string buf(n, '\0');
    in.read(&buf[0], std::streamsize(n));
    buf.resize(size_t(in.gcount()));
    return buf;
}

const char kLegacyPrefix[] = "\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19";

uint32_t crc32(const uint8_t* data, size_t n) {
    static const auto table = [] {
        std::array<uint32_t, 256> t{};
        for (uint32_t i = 0; i < 256; ++i) {
            uint32_t c = i;
            for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; ++i) c = table[(c ^ data[i]) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffu;
}

uint64_t le(const std::string& b, size_t at, int bytes) {
    uint64_t v = 0;
    for (int k = bytes - 1; k >= 0; --k) v = (v << 8) | uint8_t(b[at + size_t(k)]);
    return v;
}

struct ZipDirectory {
    std::unordered_map<std::string, ZipEntry> entries;  // by full name
    std::string firstEntry;
    std::string duplicate;  // a name the directory lists twice (refused: which one would be read?)
    std::string unsafeName;  // an absolute name or one with a ".." component (refused)
};

// Entry names are only ever looked up, never used as paths; still, a torch.save archive has none
// of these, so an archive that does is refused rather than half-read.
bool unsafeEntryName(const std::string& name) {
    if (name.empty() || name[0] == '/' || name[0] == '\\' || name.find(':') != std::string::npos) return true;
    size_t start = 0;
    while (start <= name.size()) {
        size_t end = name.find_first_of("/\\", start);
        if (end == std::string::npos) end = name.size();
        if (name.compare(start, end - start, "..") == 0 && end - start == 2) return true;
        start = end + 1;
    }
    return false;
}

// The zip's central directory, parsed here as well as by libtorch's miniz because (a) that miniz
// does not check the CRC-32 of stored records, so bytes flipped inside tensor data would load
// silently, and (b) it allocates whatever size an entry claims before reading it. Returns an
// empty directory if it cannot be parsed (miniz, which parses it too, then decides).
ZipDirectory readZipDirectory(const std::string& path, uint64_t fileSize) {
    ZipDirectory dir;
    std::ifstream in(path, std::ios::binary);
    auto readAt = [&](uint64_t offset, uint64_t n) {
        std::string buf;
        if (offset > fileSize || n > fileSize - offset) return buf;
        buf.resize(size_t(n));
        in.seekg(std::streamoff(offset));
        in.read(&buf[0], std::streamsize(n));
        if (!in) buf.clear();
        return buf;
    };
    // End of central directory: 22 bytes plus a comment of up to 64 KiB, at the end of the file.
    const uint64_t tailSize = std::min<uint64_t>(fileSize, 22 + 65535 + 20);
    const std::string tail = readAt(fileSize - tailSize, tailSize);
    if (tail.size() < 22) return dir;
    size_t eocd = std::string::npos;
    for (size_t i = tail.size() - 22 + 1; i-- > 0;)
        if (le(tail, i, 4) == 0x06054b50u) { eocd = i; break; }
    if (eocd == std::string::npos) return dir;
    uint64_t count = le(tail, eocd + 10, 2), cdSize = le(tail, eocd + 12, 4), cdOffset = le(tail, eocd + 16, 4);
    if ((count == 0xffff || cdSize == 0xffffffffu || cdOffset == 0xffffffffu) && eocd >= 20 &&
        le(tail, eocd - 20, 4) == 0x07064b50u) {  // zip64 locator -> zip64 end of central directory
        const std::string z = readAt(le(tail, eocd - 20 + 8, 8), 56);
        if (z.size() < 56 || le(z, 0, 4) != 0x06064b50u) return dir;
        count = le(z, 32, 8);
        cdSize = le(z, 40, 8);
        cdOffset = le(z, 48, 8);
    }
    const std::string cd = readAt(cdOffset, cdSize);
    if (cd.size() != cdSize) return dir;
    size_t at = 0;
    for (uint64_t e = 0; e < count; ++e) {
        if (at + 46 > cd.size() || le(cd, at, 4) != 0x02014b50u) return {};
        const size_t nameLen = size_t(le(cd, at + 28, 2)), extraLen = size_t(le(cd, at + 30, 2)),
                     commentLen = size_t(le(cd, at + 32, 2));
        if (at + 46 + nameLen + extraLen > cd.size()) return {};
        ZipEntry entry;
        entry.crc = uint32_t(le(cd, at + 16, 4));
        entry.method = uint16_t(le(cd, at + 10, 2));
        entry.compressedSize = le(cd, at + 20, 4);
        entry.size = le(cd, at + 24, 4);
        entry.localHeaderOffset = le(cd, at + 42, 4);
        // Zip64 extra field (id 1): the 8-byte sizes, for those whose 4-byte field is saturated.
        for (size_t x = at + 46 + nameLen; x + 4 <= at + 46 + nameLen + extraLen;) {
            const uint64_t id = le(cd, x, 2), len = le(cd, x + 2, 2);
            if (x + 4 + len > at + 46 + nameLen + extraLen) break;
            if (id == 1) {
                size_t f = x + 4;
                if (entry.size == 0xffffffffu && f + 8 <= x + 4 + len) { entry.size = le(cd, f, 8); f += 8; }
                if (entry.compressedSize == 0xffffffffu && f + 8 <= x + 4 + len) { entry.compressedSize = le(cd, f, 8); f += 8; }
                if (entry.localHeaderOffset == 0xffffffffu && f + 8 <= x + 4 + len) entry.localHeaderOffset = le(cd, f, 8);
            }
            x += 4 + len;
        }
        const std::string name = cd.substr(at + 46, nameLen);
        if (e == 0) dir.firstEntry = name;
        if (unsafeEntryName(name) && dir.unsafeName.empty()) dir.unsafeName = name;
        if (!dir.entries.emplace(name, entry).second && dir.duplicate.empty()) dir.duplicate = name;
        at += 46 + nameLen + extraLen + commentLen;
    }
    return dir;
}

// The first entry whose local header is not where the directory says, or whose data runs past the
// end of the file; empty if none. Checked before libtorch's reader sees the archive: when it
// throws for these in its constructor it leaks its zip state (found by fuzz_pt).
std::string damagedLocalHeader(const std::string& path, uint64_t fileSize, const ZipDirectory& dir) {
    std::ifstream in(path, std::ios::binary);
    for (const auto& [name, e] : dir.entries) {
        if (e.localHeaderOffset > fileSize || fileSize - e.localHeaderOffset < 30) return name;
        std::string h(30, '\0');
        in.seekg(std::streamoff(e.localHeaderOffset));
        in.read(&h[0], 30);
        if (!in || le(h, 0, 4) != 0x04034b50u) return name;
        if (e.method != 0 && e.method != 8) return name;  // only stored and deflated records exist
        const uint64_t dataStart = e.localHeaderOffset + 30 + le(h, 26, 2) + le(h, 28, 2);
        if (dataStart > fileSize || e.compressedSize > fileSize - dataStart) return name;
    }
    return {};
}

}  // namespace

bool isLegacyTorchFile(const std::string& path) {
    const size_t n = sizeof(kLegacyPrefix) - 1;
    const std::string head = readPrefix(path, n);
    return head.size() == n && std::memcmp(head.data(), kLegacyPrefix, n) == 0;
}

struct PtArchiveReader::Impl {
    std::unique_ptr<caffe2::serialize::PyTorchStreamReader> reader;
    ZipDirectory zip;
    std::string prefix;  // "<archive name>/": libtorch takes it from the first entry, as done here
    uint64_t fileSize = 0;
};

PtArchiveReader::PtArchiveReader(const std::string& path) : impl_(new Impl), path_(path) {
    std::error_code ec;
    requireRegularFile(path, "Checkpoint");  // a FIFO or device would block or never end
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
    impl_->zip = readZipDirectory(path, size);
    impl_->fileSize = size;
    impl_->prefix = impl_->zip.firstEntry.substr(0, impl_->zip.firstEntry.find('/') + 1);
    if (impl_->zip.entries.empty())
        throw Error("Checkpoint " + quoted(path) + " is not a PyTorch zip archive, or is truncated or corrupt (no readable zip central directory)");
    if (!impl_->zip.duplicate.empty())
        throw Error("Checkpoint " + quoted(path) + " is corrupt or forged: the zip lists the entry '" +
                    abbreviated(impl_->zip.duplicate) + "' twice");
    if (!impl_->zip.unsafeName.empty())
        throw Error("Checkpoint " + quoted(path) + " is not a torch.save archive: it has an entry named '" +
                    abbreviated(impl_->zip.unsafeName) + "' (an absolute path or one that climbs with '..')");
    const std::string damaged = damagedLocalHeader(path, size, impl_->zip);
    if (!damaged.empty())
        throw Error("Checkpoint " + quoted(path) + " is not a PyTorch zip archive, or is truncated or corrupt: the local "
                    "header or data of entry '" + abbreviated(damaged) + "' is damaged");
    // Checked here as well because libtorch's reader leaks its zip state when it throws for this.
    const auto& entries = impl_->zip.entries;
    if (!entries.empty() && !entries.count(impl_->prefix + "version") && !entries.count(impl_->prefix + ".data/version"))
        throw Error("Checkpoint " + quoted(path) + " is a zip archive but not a torch.save file (no '" +
                    impl_->prefix + "version' record)");
    try {
        impl_->reader = std::make_unique<caffe2::serialize::PyTorchStreamReader>(path);
    } catch (const std::exception& e) {
        throw Error("Checkpoint " + quoted(path) +
                    " is not a PyTorch zip archive, or is truncated or corrupt: " + messageOf(e));
    }
    // TorchScript archives have a data.pkl too, but it pickles the module's own classes.
    if (has("constants.pkl"))
        throw Error("Checkpoint " + quoted(path) +
                    " is a TorchScript module (torch.jit.save), not a state dict; save "
                    "model.state_dict() with torch.save instead");
    if (!has("data.pkl"))
        throw Error("Checkpoint " + quoted(path) + " is a zip archive without data.pkl, not a torch.save file");
    // PyTorch >= 2.1 records the byte order; s4scope reads little-endian data only.
    if (has("byteorder")) {
        const RecordBytes order = read("byteorder", 64);
        const std::string value(reinterpret_cast<const char*>(order.data), order.size);
        if (value.rfind("little", 0) != 0)
            throw Error("Checkpoint " + quoted(path) + " stores " + value +
                        "-endian data; only little-endian checkpoints are supported");
    }
}

PtArchiveReader::~PtArchiveReader() = default;

const ZipEntry* PtArchiveReader::entry(const std::string& record) const {
    const auto it = impl_->zip.entries.find(impl_->prefix + record);
    return it == impl_->zip.entries.end() ? nullptr : &it->second;
}

bool PtArchiveReader::has(const std::string& record) const {
    try {
        return impl_->reader->hasRecord(record);
    } catch (const std::exception& e) {
        throw Error("Checkpoint " + quoted(path_) + " is corrupt: " + messageOf(e));
    }
}

uint64_t PtArchiveReader::size(const std::string& record) const {
    if (!has(record))
        throw Error("Checkpoint " + quoted(path_) + " lacks the archive record '" + record + "'");
    const ZipEntry* declared = entry(record);
    if (!declared)
        throw Error("Checkpoint " + quoted(path_) + " is corrupt: record '" + record +
                    "' is missing from the zip's central directory");
    return declared->size;
}

RecordBytes PtArchiveReader::read(const std::string& record, uint64_t maxBytes) const {
    const uint64_t claimed = size(record);
    if (claimed > maxBytes)
        throw Error("Checkpoint " + quoted(path_) + ": record '" + record + "' claims " + std::to_string(claimed) +
                    " bytes (after decompression), more than the " + std::to_string(maxBytes) +
                    " it may hold (what the pickle declares, or the format's cap)");
    // Sizes a damaged directory may claim: a stored record lies within the file, deflate expands
    // at most ~1032:1. Checked before libtorch allocates them.
    const ZipEntry* zipEntry = entry(record);  // non-null: size() checked
    if ((zipEntry->method == 0 && zipEntry->size > impl_->fileSize) ||
        zipEntry->size / 1032 > zipEntry->compressedSize + 1024)
        throw Error("Checkpoint " + quoted(path_) + " is corrupt: record '" + record + "' claims " +
                    std::to_string(zipEntry->size) + " bytes in a file of " + std::to_string(impl_->fileSize));
    RecordBytes out;
    try {
        auto [ptr, size] = impl_->reader->getRecord(record);
        auto holder = std::make_shared<at::DataPtr>(std::move(ptr));
        out.data = static_cast<const uint8_t*>(holder->get());
        out.size = size;
        out.owner = std::move(holder);
    } catch (const std::exception& e) {
        throw Error("Checkpoint " + quoted(path_) + ": cannot read record '" + record +
                    "' (truncated or corrupt archive): " + messageOf(e));
    }
    if (crc32(out.data, out.size) != zipEntry->crc)
        throw Error("Checkpoint " + quoted(path_) + " is corrupt: the CRC-32 of record '" + record +
                    "' does not match the zip directory (damaged data)");
    return out;
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
