#pragma once
// Shared by the harnesses: the bytes as a file (the readers take paths, as the programs do), in
// /dev/shm when it exists so a run does not wear the disk.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

namespace fuzz {

inline std::string tempPath(const char* extension) {
    static const std::string base = [] {
        const char* dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        return std::string(dir) + "/s4scope-fuzz-" + std::to_string(getpid());
    }();
    return base + extension;
}

inline std::string writeTemp(const uint8_t* data, size_t size, const char* extension) {
    const std::string path = tempPath(extension);
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) __builtin_trap();
    if (size) std::fwrite(data, 1, size, f);
    std::fclose(f);
    return path;
}

}  // namespace fuzz
