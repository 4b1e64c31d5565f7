#pragma once
// Between Qt Multimedia's raw PCM buffers and the engine's mono float samples.
#include <vector>

#include <QAudioFormat>
#include <QByteArray>

namespace s4scope::app {

// Interleaved PCM in `format` (UInt8, Int16, Int32 or Float) to mono floats in [-1, 1]
// (the mean of the channels).
std::vector<float> pcmToMono(const QByteArray& pcm, const QAudioFormat& format);
// Mono floats to interleaved PCM in `format`, the sample repeated on every channel.
QByteArray monoToPcm(const std::vector<float>& samples, const QAudioFormat& format);

}  // namespace s4scope::app
