#include "batch_options.h"

#include <CLI/CLI.hpp>

namespace s4scope::cli {

void BatchOptions::addOptions(CLI::App& command, bool withOffset) {
    command.add_option("inputs,-i,--input", inputs,
                       "Audio files (WAV, FLAC, OGG, MP3), folders (searched recursively) and @LIST files (one path a line)")
        ->required();
    model.addOptions(command);
    command.add_option("--shard", shard, "Take only part K of N (K/N, 1 <= K <= N): a fixed split by input path, for job arrays");
    command.add_option("-O,--output-dir", outputDir, "Write results into this folder (one file per clip and method, plus index.jsonl)");
    command.add_flag("--resume", resume, "Skip what index.jsonl in the output folder lists as done");
    command.add_flag("-q,--quiet", quiet, "No progress display");
    command.add_flag("--plain-progress", plainProgress, "Progress as plain lines even on a terminal");
    command.add_option("--chunk", chunk, "Clips per step between index writes")->check(CLI::Range(1, 1 << 20));
    if (withOffset)
        command.add_option("--offset", offset, "Seconds into each file where the analysed second begins")->check(CLI::NonNegativeNumber);
}

std::vector<InputClip> BatchOptions::clips() const { return selectShard(expandInputs(inputs), parseShard(shard)); }

}  // namespace s4scope::cli
