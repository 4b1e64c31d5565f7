#include "wav_writer.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>

#include "s4scope/error.h"

namespace s4scope::train {
namespace {

void put32(std::ofstream& out, uint32_t v) {
    const unsigned char b[4] = {uint8_t(v), uint8_t(v >> 8), uint8_t(v >> 16), uint8_t(v >> 24)};
    out.write(reinterpret_cast<const char*>(b), 4);
}
void put16(std::ofstream& out, uint16_t v) {
    const unsigned char b[2] = {uint8_t(v), uint8_t(v >> 8)};
    out.write(reinterpret_cast<const char*>(b), 2);
}

}  // namespace

void writeWav16(const std::string& path, const std::vector<float>& samples, int sampleRate) {
    std::ofstream out(path, std::ios::binary);
    if (!out) throw Error(path + ": cannot be written (" + std::strerror(errno) + ")");
    const uint32_t dataBytes = uint32_t(samples.size() * 2);
    out.write("RIFF", 4);
    put32(out, 36 + dataBytes);
    out.write("WAVEfmt ", 8);
    put32(out, 16);
    put16(out, 1);  // PCM
    put16(out, 1);  // mono
    put32(out, uint32_t(sampleRate));
    put32(out, uint32_t(sampleRate) * 2);
    put16(out, 2);
    put16(out, 16);
    out.write("data", 4);
    put32(out, dataBytes);
    std::vector<int16_t> pcm(samples.size());
    for (size_t i = 0; i < samples.size(); ++i)
        pcm[i] = int16_t(std::lround(std::clamp(samples[i], -1.f, 1.f) * 32767.f));
    for (int16_t s : pcm) put16(out, uint16_t(s));
    if (!out) throw Error(path + ": write failed (" + std::strerror(errno) + ")");
}

}  // namespace s4scope::train
