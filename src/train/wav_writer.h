#pragma once
// 16-bit PCM mono WAV: the data set's clips (half the size of the engine's float WAVs, and
// what every audio tool reads).
#include <string>
#include <vector>

namespace s4scope::train {

// Throws Error naming the file when it cannot be written.
void writeWav16(const std::string& path, const std::vector<float>& samples, int sampleRate);

}  // namespace s4scope::train
