#pragma once
// Where the bundled model and sample clips are: $S4SCOPE_RESOURCES, else an installed tree
// (<prefix>/share/s4scope/resources beside <prefix>/bin of the running program), else the source
// tree the program was built from. The GUI and the CLI use the same answer.
#include <string>
#include <vector>

namespace s4scope {

std::string resourcesDir();

// The bundled model's config (resources/models/s4_kws_config.json) when it and its weights exist;
// empty otherwise.
std::string bundledModelPath();

// The bundled clips (resources/clips/*.wav), sorted by file name.
std::vector<std::string> bundledClips();

}  // namespace s4scope
