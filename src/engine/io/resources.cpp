#include "s4scope/resources.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "s4scope/checkpoint_formats.h"

namespace s4scope {
namespace fs = std::filesystem;

namespace {

// The running program's folder (Linux: /proc/self/exe), empty when unknown.
fs::path programDir() {
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path() : exe.parent_path();
}

}  // namespace

std::string resourcesDir() {
    if (const char* fromEnvironment = std::getenv("S4SCOPE_RESOURCES"); fromEnvironment && *fromEnvironment)
        return fromEnvironment;
    std::error_code ec;
    const fs::path dir = programDir();
    if (!dir.empty()) {
        const fs::path installed = dir / ".." / "share" / "s4scope" / "resources";
        if (fs::is_directory(installed, ec)) return fs::weakly_canonical(installed, ec).string();
    }
    return S4SCOPE_SOURCE_RESOURCES;
}

std::string bundledModelPath() {
    const fs::path stem = fs::path(resourcesDir()) / "models" / "s4_kws";
    const fs::path config = stem.string() + modelConfigSuffix();
    std::error_code ec;
    if (!fs::is_regular_file(config, ec)) return {};
    for (const std::string& ext : checkpointExtensions())
        if (fs::is_regular_file(stem.string() + ext, ec)) return config.string();
    return {};
}

std::vector<std::string> bundledClips() {
    std::vector<std::string> clips;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(fs::path(resourcesDir()) / "clips", ec))
        if (entry.path().extension() == ".wav") clips.push_back(entry.path().string());
    std::sort(clips.begin(), clips.end());
    return clips;
}

}  // namespace s4scope
