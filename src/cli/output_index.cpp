#include "output_index.h"

#include <filesystem>
#include <sstream>

#include "s4scope/error.h"

namespace s4scope::cli {
namespace fs = std::filesystem;

std::vector<nlohmann::json> readIndex(const std::string& path) {
    std::vector<nlohmann::json> out;
    std::ifstream in(path);
    if (!in) return out;
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string text = buffer.str();
    size_t start = 0;
    while (start < text.size()) {
        const size_t end = text.find('\n', start);
        if (end == std::string::npos) break;  // torn last line: its write was interrupted
        const std::string line = text.substr(start, end - start);
        start = end + 1;
        if (line.empty()) continue;
        auto j = nlohmann::json::parse(line, nullptr, false);
        if (!j.is_discarded() && j.is_object()) out.push_back(std::move(j));
    }
    return out;
}

std::set<std::pair<std::string, std::string>> completedPairs(const std::string& folder) {
    std::set<std::pair<std::string, std::string>> done;
    for (const auto& line : readIndex((fs::path(folder) / kIndexName).string())) {
        if (line.value("status", "") != "ok" || !line.contains("key") || !line.contains("method")) continue;
        const std::string output = line.value("output", "");
        std::error_code ec;
        if (!output.empty() && !fs::is_regular_file(fs::path(folder) / output, ec)) continue;
        done.insert({line["key"].get<std::string>(), line["method"].get<std::string>()});
    }
    return done;
}

IndexWriter::IndexWriter(const std::string& folder, bool append) : path_((fs::path(folder) / kIndexName).string()) {
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) throw Error(folder + ": cannot create the output folder (" + ec.message() + ")");
    if (append && fs::exists(path_)) {
        // Cut a torn last line so the next line starts on its own.
        std::ifstream in(path_, std::ios::binary);
        std::stringstream buffer;
        buffer << in.rdbuf();
        const std::string text = buffer.str();
        const size_t keep = text.empty() ? 0 : text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1;
        if (keep != text.size()) fs::resize_file(path_, keep, ec);
    }
    out_.open(path_, append ? std::ios::app : std::ios::trunc);
    if (!out_) throw Error(path_ + ": cannot write the index");
}

void IndexWriter::write(const std::vector<nlohmann::json>& lines) {
    std::string text;
    for (const auto& l : lines) text += l.dump() + "\n";
    out_ << text;
    out_.flush();
    if (!out_) throw Error(path_ + ": cannot write the index (disk full?)");
}

std::string outputNameFor(const std::string& key, const std::string& method, const std::string& format) {
    const fs::path k(key);
    return (k.parent_path() / (k.stem().string() + "." + method + "." + format)).generic_string();
}

void writeFileAtomically(const std::string& path, const std::function<void(const std::string&)>& write) {
    std::error_code ec;
    const fs::path p(path);
    if (p.has_parent_path()) fs::create_directories(p.parent_path(), ec);
    const fs::path temporary = p.parent_path() / (p.stem().string() + ".part" + p.extension().string());
    write(temporary.string());
    fs::rename(temporary, p, ec);
    if (ec) throw Error(path + ": cannot write this file (" + ec.message() + ")");
}

bool indexLineBefore(const nlohmann::json& a, const nlohmann::json& b) {
    const std::string ka = a.value("key", ""), kb = b.value("key", "");
    if (ka != kb) return ka < kb;
    const int pa = a.value("method_rank", 0), pb = b.value("method_rank", 0);
    if (pa != pb) return pa < pb;
    return a.value("method", "") < b.value("method", "");
}

}  // namespace s4scope::cli
