#include "app/pcm_convert.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace s4scope::app {

std::vector<float> pcmToMono(const QByteArray& pcm, const QAudioFormat& format) {
    const int channels = std::max(1, format.channelCount());
    const int bytes = format.bytesPerSample();
    if (bytes <= 0) return {};
    const size_t frames = size_t(pcm.size()) / size_t(bytes * channels);
    std::vector<float> out(frames, 0.f);
    const char* data = pcm.constData();
    for (size_t f = 0; f < frames; ++f) {
        float sum = 0;
        for (int c = 0; c < channels; ++c)
            sum += format.normalizedSampleValue(data + (f * channels + c) * bytes);
        out[f] = std::clamp(sum / channels, -1.f, 1.f);
    }
    return out;
}

QByteArray monoToPcm(const std::vector<float>& samples, const QAudioFormat& format) {
    const int channels = std::max(1, format.channelCount());
    const int bytes = format.bytesPerSample();
    QByteArray out(qsizetype(samples.size()) * channels * bytes, Qt::Uninitialized);
    char* data = out.data();
    for (size_t i = 0; i < samples.size(); ++i) {
        const float v = std::clamp(samples[i], -1.f, 1.f);
        for (int c = 0; c < channels; ++c, data += bytes) {
            switch (format.sampleFormat()) {
            case QAudioFormat::UInt8: *reinterpret_cast<quint8*>(data) = quint8(std::lround(127.5f * (v + 1))); break;
            case QAudioFormat::Int16: { const qint16 s = qint16(std::lround(v * 32767)); std::memcpy(data, &s, 2); break; }
            case QAudioFormat::Int32: { const qint32 s = qint32(std::llround(double(v) * 2147483647.0)); std::memcpy(data, &s, 4); break; }
            case QAudioFormat::Float: std::memcpy(data, &v, 4); break;
            default: std::memset(data, 0, size_t(bytes)); break;
            }
        }
    }
    return out;
}

}  // namespace s4scope::app
