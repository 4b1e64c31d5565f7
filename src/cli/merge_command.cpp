// s4scope-cli merge: joins the output folders of shards (--shard K/N) into one, as if one process
// had done the whole: output files copied, index lines sorted by clip key and method order.
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>

#include <CLI/CLI.hpp>

#include "commands.h"
#include "output_index.h"
#include "s4scope/error.h"

namespace s4scope::cli {
namespace {
namespace fs = std::filesystem;

struct MergeOptions {
    std::vector<std::string> shards;
    std::string outputDir;
};

int runMerge(const MergeOptions& o) {
    std::error_code ec;
    for (const auto& s : o.shards) {
        if (!fs::is_regular_file(fs::path(s) / kIndexName, ec)) throw Error(s + ": no " + kIndexName + " in this folder");
        if (fs::exists(o.outputDir, ec) && fs::equivalent(s, o.outputDir, ec))
            throw Error(s + ": the merged folder must differ from the shards");
    }
    // Per (key, method) the last "ok" line wins over errors and earlier lines (a shard run again).
    std::map<std::pair<std::string, std::string>, std::pair<nlohmann::json, std::string>> lines;
    long duplicates = 0;
    for (const auto& s : o.shards) {
        for (auto& line : readIndex((fs::path(s) / kIndexName).string())) {
            const std::pair<std::string, std::string> id{line.value("key", ""), line.value("method", "")};
            auto it = lines.find(id);
            if (it != lines.end()) {
                ++duplicates;
                if (it->second.first.value("status", "") == "ok" && line.value("status", "") != "ok") continue;
            }
            lines[id] = {std::move(line), s};
        }
    }
    fs::create_directories(o.outputDir, ec);
    if (ec) throw Error(o.outputDir + ": cannot create this folder (" + ec.message() + ")");
    std::vector<nlohmann::json> sorted;
    for (auto& [id, entry] : lines) {
        auto& [line, shard] = entry;
        const std::string output = line.value("output", "");
        if (!output.empty()) {
            const fs::path from = fs::path(shard) / output, to = fs::path(o.outputDir) / output;
            fs::create_directories(to.parent_path(), ec);
            fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
            if (ec) throw Error(from.string() + ": cannot copy to " + to.string() + " (" + ec.message() + ")");
        }
        sorted.push_back(std::move(line));
    }
    std::stable_sort(sorted.begin(), sorted.end(), indexLineBefore);
    IndexWriter index(o.outputDir, false);
    index.write(sorted);
    long failed = 0;
    for (const auto& l : sorted) failed += l.value("status", "") != "ok";
    std::cerr << "merged " << o.shards.size() << " folders: " << sorted.size() << " results (" << failed << " failed"
              << (duplicates ? ", " + std::to_string(duplicates) + " duplicates resolved" : std::string()) << ") into "
              << o.outputDir << "/" << kIndexName << "\n";
    return 0;
}

}  // namespace

Command addMergeCommand(CLI::App& app) {
    auto o = std::make_shared<MergeOptions>();
    auto* cmd = app.add_subcommand("merge", "Join the output folders of shards (--shard K/N) into one");
    cmd->footer("Copies every result file and writes one index.jsonl sorted as a single run writes it.");
    cmd->add_option("shards", o->shards, "Output folders of the shards")->required()->check(CLI::ExistingDirectory);
    cmd->add_option("-O,--output-dir", o->outputDir, "The merged folder")->required();
    return {cmd, [o] { return runMerge(*o); }};
}

}  // namespace s4scope::cli
