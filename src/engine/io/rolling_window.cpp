#include "s4scope/rolling_window.h"

#include <algorithm>
#include <cmath>

#include <soxr.h>

#include "s4scope/error.h"

namespace s4scope {

struct RollingWindow::Resampler {
    soxr_t soxr = nullptr;
    int inputRate = 0;
    int channels = 0;
    ~Resampler() {
        if (soxr) soxr_delete(soxr);
    }
};

RollingWindow::RollingWindow(int64_t windowSamples, int sampleRate)
    : ring_(static_cast<size_t>(windowSamples), 0.f), rate_(sampleRate), resampler_(std::make_unique<Resampler>()) {
    if (windowSamples <= 0 || sampleRate <= 0) throw Error("rolling window: sizes must be positive");
}

RollingWindow::~RollingWindow() = default;

void RollingWindow::append(const float* mono, size_t n) {
    for (size_t i = 0; i < n; ++i) {
        ring_[head_] = mono[i];
        head_ = (head_ + 1) % ring_.size();
    }
    received_ += static_cast<int64_t>(n);
}

void RollingWindow::push(const float* interleaved, size_t frames, int channels, int inputRate) {
    if (channels <= 0 || channels > 64) throw Error("rolling window: bad channel count " + std::to_string(channels));
    if (inputRate <= 0) throw Error("rolling window: bad sample rate " + std::to_string(inputRate));
    std::vector<float> mono(frames);
    for (size_t f = 0; f < frames; ++f) {
        double sum = 0;
        for (int c = 0; c < channels; ++c) sum += interleaved[f * channels + c];
        mono[f] = static_cast<float>(sum / channels);
    }
    if (inputRate == rate_) {
        append(mono.data(), mono.size());
        return;
    }
    auto& r = *resampler_;
    if (!r.soxr || r.inputRate != inputRate) {
        if (r.soxr) soxr_delete(r.soxr);
        soxr_error_t error = nullptr;
        const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
        // Medium quality with minimum phase keeps the resampler's delay short (14 ms here, 27 ms
        // with linear phase), which matters more than the last decibel of stop-band
        // attenuation for a live view.
        const soxr_quality_spec_t quality = soxr_quality_spec(SOXR_MQ, SOXR_MINIMUM_PHASE);
        r.soxr = soxr_create(inputRate, rate_, 1, &error, &io, &quality, nullptr);
        if (error) {
            r.soxr = nullptr;
            throw Error(std::string("rolling window: cannot resample from ") + std::to_string(inputRate) + " Hz: " + error);
        }
        r.inputRate = inputRate;
    }
    std::vector<float> out(static_cast<size_t>(std::ceil(double(frames) * rate_ / inputRate)) + 64);
    size_t used = 0, produced = 0;
    if (soxr_error_t e = soxr_process(r.soxr, mono.data(), mono.size(), &used, out.data(), out.size(), &produced))
        throw Error(std::string("rolling window: resampling failed: ") + e);
    append(out.data(), produced);
}

std::vector<float> RollingWindow::window() const {
    std::vector<float> out(ring_.size());
    for (size_t i = 0; i < ring_.size(); ++i) out[i] = ring_[(head_ + i) % ring_.size()];
    return out;
}

double RollingWindow::levelDb(int64_t samples) const {
    const size_t n = static_cast<size_t>(std::clamp<int64_t>(samples, 1, static_cast<int64_t>(ring_.size())));
    double sum = 0;
    for (size_t i = 0; i < n; ++i) {
        const float v = ring_[(head_ + ring_.size() - 1 - i) % ring_.size()];
        sum += double(v) * v;
    }
    const double rms = std::sqrt(sum / n);
    return rms > 1e-6 ? 20.0 * std::log10(rms) : -120.0;
}

void RollingWindow::clear() {
    std::fill(ring_.begin(), ring_.end(), 0.f);
    head_ = 0;
    received_ = 0;
    if (resampler_->soxr) soxr_clear(resampler_->soxr);
}

VoiceActivityGate::VoiceActivityGate(double thresholdDb, double windowMs, double holdMs)
    : thresholdDb_(thresholdDb), windowMs_(windowMs), holdMs_(holdMs) {}

bool VoiceActivityGate::update(const RollingWindow& window, int64_t nowSamples) {
    const auto samples = static_cast<int64_t>(windowMs_ * window.sampleRate() / 1000.0);
    if (nowSamples < lastSpeechAt_) reset();  // the clock went back: a new stream
    lastLevelDb_ = window.levelDb(samples);
    if (lastLevelDb_ > thresholdDb_) lastSpeechAt_ = nowSamples;
    return lastSpeechAt_ >= 0 && double(nowSamples - lastSpeechAt_) <= holdMs_ * window.sampleRate() / 1000.0;
}

}  // namespace s4scope
