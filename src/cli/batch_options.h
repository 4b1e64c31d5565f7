#pragma once
// Options shared by the batch commands (classify, explain, scan): inputs, shard, output folder,
// resume, progress, and the second of a longer recording that is analysed.
#include <string>
#include <vector>

#include "inputs.h"
#include "model_choice.h"
#include "progress.h"

namespace CLI {
class App;
}

namespace s4scope::cli {

struct BatchOptions {
    std::vector<std::string> inputs;
    std::string shard;
    std::string outputDir;
    bool resume = false;
    bool quiet = false;      // no progress
    bool plainProgress = false;
    int chunk = 256;         // clips decoded and computed between index writes
    double offset = 0;       // seconds into each file where the analysed second begins
    ModelChoice model;

    void addOptions(CLI::App& command, bool withOffset = true);
    std::vector<InputClip> clips() const;  // expanded and sharded
    Progress::Mode progressMode() const {
        return quiet ? Progress::Mode::Off : plainProgress ? Progress::Mode::Lines : Progress::Mode::Auto;
    }
};

}  // namespace s4scope::cli
