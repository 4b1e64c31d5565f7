#include "noise_pools.h"

#include <algorithm>
#include <filesystem>

#include "rng.h"
#include "s4scope/audio_io.h"

namespace s4scope::train {
namespace fs = std::filesystem;
namespace {

std::vector<float> loadWhole(const std::string& path) {
    AudioLoadOptions load;
    load.length = 0;
    return loadAudio(path, load).samples;
}

}  // namespace

NoisePools datasetNoisePools(const std::string& dataDir) {
    NoisePools pools;
    std::vector<std::string> files;
    std::error_code ec;
    for (const auto& f : fs::directory_iterator(fs::path(dataDir) / "babble", ec))
        if (f.path().extension() == ".wav") files.push_back(f.path().string());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) pools.babble.push_back(loadWhole(f));
    return pools;
}

NoisePools speechCommandsNoisePools(const std::vector<std::string>& otherSpeech,
                                    const std::vector<std::string>& noiseFiles, size_t maxBabble, uint64_t seed) {
    NoisePools pools;
    std::vector<std::string> chosen = otherSpeech;
    Rng rng(deriveSeed(seed, "babble-pool"));
    shuffleInPlace(chosen, rng);
    if (chosen.size() > maxBabble) chosen.resize(maxBabble);
    std::sort(chosen.begin(), chosen.end());
    for (const auto& f : chosen) pools.babble.push_back(loadWhole(f));
    for (const auto& f : noiseFiles) pools.files.push_back(loadWhole(f));
    return pools;
}

}  // namespace s4scope::train
