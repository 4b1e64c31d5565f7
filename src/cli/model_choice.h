#pragma once
// Which model a command uses: --model PATH, --random-init SEED, or else the bundled model.
#include <optional>
#include <string>

#include "s4scope/model.h"

namespace CLI {
class App;
}

namespace s4scope::cli {

struct ModelChoice {
    std::string path;
    std::optional<uint64_t> randomSeed;
    ModelLoadOptions load;  // --state-dict-prefix

    void addOptions(CLI::App& command);
    // Loads the model and tells on stderr which one ("model: ... (bundled)"). Throws Error when
    // neither option is given and no bundled model is found.
    Model open(bool quiet = false) const;
    // "PATH" or "PATH (the bundled model)".
    std::string describe(const Model& model) const;
};

}  // namespace s4scope::cli
