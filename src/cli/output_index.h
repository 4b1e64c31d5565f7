#pragma once
// A batch's output folder: one file per (clip, method) and index.jsonl, one JSON object per line
// per (clip, method) in input order ("status": "ok" or "error"). Lines are appended after their
// files are complete (written beside and renamed), so after an interruption every "ok" line names a
// whole file and --resume can skip it.
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace s4scope::cli {

inline const char* kIndexName = "index.jsonl";

// The index's lines, skipping a torn last line (an interrupted write) and lines that do not parse.
std::vector<nlohmann::json> readIndex(const std::string& path);

// (key, method) pairs whose line says "ok" and whose output file exists in `folder`.
std::set<std::pair<std::string, std::string>> completedPairs(const std::string& folder);

class IndexWriter {
public:
    // Creates the folder. Without `append` an existing index is replaced; with it a torn last line
    // is cut off before new lines are added.
    IndexWriter(const std::string& folder, bool append);
    void write(const std::vector<nlohmann::json>& lines);  // appended and flushed together

private:
    std::string path_;
    std::ofstream out_;
};

// Output file for a clip and method: KEY without its extension, ".METHOD.FORMAT", relative to the folder.
std::string outputNameFor(const std::string& key, const std::string& method, const std::string& format);

// Calls write(temporaryPath) for a temporary file beside `path` with the same extension (writers
// pick the format by it), then renames it into place. Throws Error naming the path.
void writeFileAtomically(const std::string& path, const std::function<void(const std::string&)>& write);

// Sort order of index lines (by key, then the method's place in `methods` or its name).
bool indexLineBefore(const nlohmann::json& a, const nlohmann::json& b);

}  // namespace s4scope::cli
