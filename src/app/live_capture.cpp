#include "app/live_capture.h"

#include <QAudioSource>
#include <QMediaDevices>
#include <QTimer>

#include "app/pcm_convert.h"

namespace s4scope::app {

QString audioErrorText(int error) {
    switch (QAudio::Error(error)) {
    case QAudio::NoError: return QObject::tr("no error");
    case QAudio::OpenError: return QObject::tr("the device could not be opened (busy, or the format is not supported)");
    case QAudio::IOError: return QObject::tr("the device stopped delivering audio (was it unplugged?)");
    case QAudio::UnderrunError: return QObject::tr("audio data is not arriving fast enough");
    case QAudio::FatalError: return QObject::tr("the audio system reported a fatal error");
    }
    return QObject::tr("unknown audio error");
}

LiveCapture::LiveCapture(int64_t windowSamples, int sampleRate, QObject* parent)
    : QObject(parent), window_(windowSamples, sampleRate), devices_(new QMediaDevices(this)) {
    clock_.start();
    watchdog_ = new QTimer(this);
    watchdog_->setInterval(250);
    connect(watchdog_, &QTimer::timeout, this, &LiveCapture::watch);
    connect(devices_, &QMediaDevices::audioInputsChanged, this, &LiveCapture::onInputsChanged);
}

LiveCapture::~LiveCapture() {
    if (source_) {
        source_->disconnect(this);
        source_->stop();
    }
}

bool LiveCapture::start(const QAudioDevice& device, const std::optional<QAudioFormat>& format) {
    stop();
    if (device.isNull()) {
        fail(tr("No microphone: the system has no audio input device."));
        return false;
    }
    const QAudioFormat chosen = format ? *format : device.preferredFormat();
    if (!chosen.isValid() || chosen.bytesPerSample() <= 0 || !device.isFormatSupported(chosen)) {
        fail(tr("The microphone \"%1\" cannot be opened in the format %2 Hz, %3 channel(s), %4 bytes per sample.")
                 .arg(device.description()).arg(chosen.sampleRate()).arg(chosen.channelCount()).arg(chosen.bytesPerSample()));
        return false;
    }
    device_ = device;
    format_ = chosen;
    window_.clear();
    arrivals_.clear();
    source_ = std::make_unique<QAudioSource>(device, chosen);
    source_->setBufferSize(chosen.bytesForDuration(20000));  // about 20 ms: small chunks, low latency
    connect(source_.get(), &QAudioSource::stateChanged, this, &LiveCapture::onStateChanged);
    stream_ = source_->start();
    if (!stream_ || source_->error() != QAudio::NoError) {
        const int error = source_->error();
        source_->disconnect(this);
        source_.reset();
        stream_ = nullptr;
        fail(tr("Cannot record from \"%1\": %2.").arg(device.description(), audioErrorText(error)));
        return false;
    }
    connect(stream_, &QIODevice::readyRead, this, &LiveCapture::onReadyRead);
    lastAudioNs_ = clock_.nsecsElapsed();
    watchdog_->start();
    emit runningChanged(true);
    return true;
}

void LiveCapture::stop() {
    if (!source_) return;
    watchdog_->stop();
    source_->disconnect(this);
    if (stream_) stream_->disconnect(this);
    source_->stop();
    source_.release()->deleteLater();  // may be inside one of its own signals
    stream_ = nullptr;
    emit runningChanged(false);
}

void LiveCapture::onReadyRead() {
    if (!stream_) return;
    const std::vector<float> mono = pcmToMono(stream_->readAll(), format_);
    if (mono.empty()) return;
    window_.push(mono.data(), mono.size(), 1, format_.sampleRate());
    lastAudioNs_ = clock_.nsecsElapsed();
    arrivals_.emplace_back(window_.receivedSamples(), lastAudioNs_);
    while (arrivals_.size() > 400) arrivals_.pop_front();
    emit audioArrived(window_.receivedSamples());
}

qint64 LiveCapture::arrivalNs(int64_t clock) const {
    for (const auto& [c, ns] : arrivals_)
        if (c >= clock) return ns;
    return arrivals_.empty() ? clock_.nsecsElapsed() : arrivals_.back().second;
}

void LiveCapture::onStateChanged() {
    if (!source_) return;
    const QAudio::Error error = source_->error();
    if (error == QAudio::NoError || error == QAudio::UnderrunError) return;
    fail(tr("Recording from \"%1\" stopped: %2.").arg(device_.description(), audioErrorText(error)));
}

void LiveCapture::onInputsChanged() {
    if (!source_) return;
    for (const QAudioDevice& d : QMediaDevices::audioInputs())
        if (d.id() == device_.id()) return;
    fail(tr("The microphone \"%1\" has disappeared.").arg(device_.description()));
}

// A device can vanish without a signal (the server may even move the stream elsewhere), or stop
// delivering audio without an error state: both end recording with a message.
void LiveCapture::watch() {
    if (!source_) return;
    onInputsChanged();
    if (source_ && clock_.nsecsElapsed() - lastAudioNs_ > 2'000'000'000LL)
        fail(tr("The microphone \"%1\" has stopped delivering audio for two seconds.").arg(device_.description()));
}

void LiveCapture::fail(const QString& message) {
    stop();
    emit failed(message);
}

}  // namespace s4scope::app
