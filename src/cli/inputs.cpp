#include "inputs.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "s4scope/error.h"

namespace s4scope::cli {
namespace fs = std::filesystem;

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

std::string keyOf(const std::string& path) {
    fs::path normal = fs::path(path).lexically_normal();
    fs::path key;
    bool leading = true;
    for (const auto& part : normal.relative_path()) {
        if (leading && (part == ".." || part == ".")) continue;
        leading = false;
        key /= part;
    }
    return key.empty() ? normal.filename().string() : key.generic_string();
}

void addPath(const std::string& path, std::vector<InputClip>& out) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        std::vector<std::string> found;
        for (auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, ec);
             !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
            if (it->is_regular_file(ec) && isAudioFileName(it->path().string())) found.push_back(it->path().string());
        }
        if (ec) throw Error(path + ": cannot walk this folder (" + ec.message() + ")");
        for (const auto& f : found) out.push_back({f, keyOf(f)});
        return;
    }
    out.push_back({path, keyOf(path)});
}

void addList(const std::string& listPath, std::vector<InputClip>& out) {
    std::ifstream in(listPath);
    if (!in) throw Error(listPath + ": cannot read this list file");
    const fs::path base = fs::path(listPath).parent_path();
    std::string line;
    while (std::getline(in, line)) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
        const size_t first = line.find_first_not_of(" \t");
        if (first == std::string::npos || line[first] == '#') continue;
        line = line.substr(first);
        const fs::path p(line);
        addPath(p.is_absolute() || base.empty() ? line : (base / p).string(), out);
    }
}

uint64_t fnv1a(const std::string& text) {
    uint64_t h = 1469598103934665603ull;
    for (unsigned char c : text) {
        h ^= c;
        h *= 1099511628211ull;
    }
    return h;
}

}  // namespace

bool isAudioFileName(const std::string& path) {
    static const std::vector<std::string> kExtensions = {".wav", ".flac", ".ogg", ".oga", ".mp3", ".aif", ".aiff", ".au", ".opus"};
    const std::string ext = lower(fs::path(path).extension().string());
    return std::find(kExtensions.begin(), kExtensions.end(), ext) != kExtensions.end();
}

std::vector<InputClip> expandInputs(const std::vector<std::string>& arguments) {
    std::vector<InputClip> out;
    for (const auto& a : arguments) {
        if (a.size() > 1 && a[0] == '@') addList(a.substr(1), out);
        else addPath(a, out);
    }
    std::sort(out.begin(), out.end(), [](const InputClip& a, const InputClip& b) { return a.key < b.key; });
    // The same file named twice is done once; two files whose keys agree would write the same
    // outputs, so that is an error rather than one of them silently skipped.
    std::vector<InputClip> unique;
    for (auto& c : out) {
        if (!unique.empty() && unique.back().key == c.key) {
            std::error_code ea, eb;
            if (fs::weakly_canonical(unique.back().path, ea) == fs::weakly_canonical(c.path, eb)) continue;
            throw Error("inputs '" + unique.back().path + "' and '" + c.path + "' would share the output name '" + c.key +
                        "' (give paths that differ after their leading '..' parts)");
        }
        unique.push_back(std::move(c));
    }
    return unique;
}

bool Shard::holds(const std::string& key) const {
    return count <= 1 || static_cast<int>(fnv1a(key) % uint64_t(count)) + 1 == index;
}

Shard parseShard(const std::string& text) {
    if (text.empty()) return {};
    const size_t slash = text.find('/');
    Shard s;
    try {
        size_t usedK = 0, usedN = 0;
        if (slash == std::string::npos) throw Error("");
        s.index = std::stoi(text.substr(0, slash), &usedK);
        s.count = std::stoi(text.substr(slash + 1), &usedN);
        if (usedK != slash || usedN != text.size() - slash - 1) throw Error("");
    } catch (const std::exception&) {
        throw Error("--shard takes K/N (e.g. 2/8), got '" + text + "'");
    }
    if (s.count < 1 || s.index < 1 || s.index > s.count)
        throw Error("--shard " + text + ": K must lie in 1 .. N and N be at least 1");
    return s;
}

std::vector<InputClip> selectShard(const std::vector<InputClip>& clips, const Shard& shard) {
    std::vector<InputClip> out;
    for (const auto& c : clips)
        if (shard.holds(c.key)) out.push_back(c);
    return out;
}

}  // namespace s4scope::cli
