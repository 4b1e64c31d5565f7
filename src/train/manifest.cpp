#include "manifest.h"

#include <cstring>
#include <fstream>
#include <sstream>

#include "s4scope/error.h"

namespace s4scope::train {
namespace {

const char* const kHeader = "path,word,label,split,voice,engine,accent,variant,rate,pitch,offset,length";

std::vector<std::string> splitCsvLine(const std::string& line) {
    std::vector<std::string> fields;
    std::stringstream ss(line);
    std::string field;
    while (std::getline(ss, field, ',')) fields.push_back(field);
    if (!line.empty() && line.back() == ',') fields.emplace_back();
    return fields;
}

}  // namespace

void writeManifest(const std::string& path, const std::vector<ManifestEntry>& entries) {
    std::ofstream out(path);
    if (!out) throw Error(path + ": cannot be written (" + std::strerror(errno) + ")");
    out << kHeader << '\n';
    for (const auto& e : entries)
        out << e.path << ',' << e.word << ',' << e.label << ',' << e.split << ',' << e.voice << ',' << e.engine << ','
            << e.accent << ',' << e.variant << ',' << e.rate << ',' << e.pitch << ',' << e.offset << ',' << e.length
            << '\n';
    if (!out) throw Error(path + ": write failed");
}

std::vector<ManifestEntry> readManifest(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw Error(path + ": cannot be read (" + std::strerror(errno) + ")");
    std::string line;
    if (!std::getline(in, line) || line != kHeader)
        throw Error(path + ": not a s4scope data set manifest (expected the header '" + std::string(kHeader) + "')");
    std::vector<ManifestEntry> entries;
    for (int lineNo = 2; std::getline(in, line); ++lineNo) {
        if (line.empty()) continue;
        const auto f = splitCsvLine(line);
        if (f.size() != 12) throw Error(path + ":" + std::to_string(lineNo) + ": expected 12 fields, found " +
                                        std::to_string(f.size()));
        try {
            ManifestEntry e{f[0], f[1], std::stoi(f[2]), f[3], f[4], f[5], f[6], f[7],
                            std::stod(f[8]), std::stod(f[9]), std::stoll(f[10]), std::stoll(f[11])};
            entries.push_back(std::move(e));
        } catch (const std::logic_error&) {
            throw Error(path + ":" + std::to_string(lineNo) + ": a number field does not parse");
        }
    }
    return entries;
}

}  // namespace s4scope::train
