#pragma once
// What a batch works on: files, folders (recursively, audio files only) and @list files expanded
// into clips, each with a key that names its outputs, sorted by key; and --shard K/N.
#include <cstdint>
#include <string>
#include <vector>

namespace s4scope::cli {

struct InputClip {
    std::string path;  // as the user (or the list file) gave it, joined with the folder walked
    std::string key;   // path made relative (root and leading ".." dropped): names outputs, picks the shard
};

// Expands arguments: FILE, FOLDER (every audio file under it, recursively, by extension) and
// @LIST (one path per line; blank lines and lines starting with '#' skipped; relative paths are
// relative to the list's folder). Missing paths are kept so the batch reports them; a missing
// list file is an error (Error). Sorted by key; the same file given twice is kept once, two
// different files with the same key are an Error.
std::vector<InputClip> expandInputs(const std::vector<std::string>& arguments);

struct Shard {
    int index = 1, count = 1;  // K/N with 1 <= K <= N
    bool holds(const std::string& key) const;
};

// "K/N"; empty text is the whole (1/1). Throws Error for anything else.
Shard parseShard(const std::string& text);

// Keeps the clips of this shard: a clip belongs to shard 1 + (FNV-1a hash of its key) mod N, so
// the split depends on nothing but the key (not on the order or on which other clips exist).
std::vector<InputClip> selectShard(const std::vector<InputClip>& clips, const Shard& shard);

bool isAudioFileName(const std::string& path);

}  // namespace s4scope::cli
