#pragma once
// The last second of a live stream, at the model's rate: audio arrives in the device's native
// rate and channel count, is mixed to mono and resampled (libsoxr, streaming) as it comes.
#include <cstdint>
#include <memory>
#include <vector>

namespace s4scope {

class RollingWindow {
public:
    RollingWindow(int64_t windowSamples = 16000, int sampleRate = 16000);
    ~RollingWindow();
    RollingWindow(const RollingWindow&) = delete;
    RollingWindow& operator=(const RollingWindow&) = delete;

    // Appends interleaved float frames. A new input rate or channel count restarts the resampler.
    // Throws Error for non-positive rates or channel counts.
    void push(const float* interleaved, size_t frames, int channels, int inputRate);

    // The newest windowSamples samples, oldest first; zeros before anything arrived.
    std::vector<float> window() const;
    // Samples at the model's rate received so far (a clock for latency measurements).
    int64_t receivedSamples() const { return received_; }
    // RMS level in dBFS of the newest `samples` samples (-120 for digital silence).
    double levelDb(int64_t samples) const;
    void clear();

    int sampleRate() const { return rate_; }
    int64_t size() const { return static_cast<int64_t>(ring_.size()); }

private:
    void append(const float* mono, size_t n);

    std::vector<float> ring_;
    size_t head_ = 0;  // where the next sample goes
    int64_t received_ = 0;
    int rate_;
    struct Resampler;
    std::unique_ptr<Resampler> resampler_;
};

// Energy gate: speech when the level of the newest `windowMs` is above `thresholdDb`, held for
// `holdMs` after it falls so a word's quiet tail is not cut off.
class VoiceActivityGate {
public:
    explicit VoiceActivityGate(double thresholdDb = -45.0, double windowMs = 100.0, double holdMs = 300.0);

    // Updates with the window's newest audio; `nowSamples` is the stream clock. Returns speech/no speech.
    bool update(const RollingWindow& window, int64_t nowSamples);
    void setThresholdDb(double db) { thresholdDb_ = db; }
    // Forgets the last speech: a new stream's clock starts again at 0, and a hold remembered from
    // the old one would read as speech until the new clock passed it.
    void reset() {
        lastSpeechAt_ = -1;
        lastLevelDb_ = -120.0;
    }
    double thresholdDb() const { return thresholdDb_; }
    double lastLevelDb() const { return lastLevelDb_; }

private:
    double thresholdDb_, windowMs_, holdMs_;
    double lastLevelDb_ = -120.0;
    int64_t lastSpeechAt_ = -1;
};

}  // namespace s4scope
