#include "app/clip_player.h"

#include <QAudioDevice>
#include <QAudioSink>
#include <QMediaDevices>

#include "app/pcm_convert.h"
#include "s4scope/audio_io.h"

namespace s4scope::app {

ClipPlayer::ClipPlayer(QObject* parent) : QObject(parent) {
    timer_.setInterval(30);
    connect(&timer_, &QTimer::timeout, this, &ClipPlayer::poll);
}

ClipPlayer::~ClipPlayer() { stop(); }

void ClipPlayer::setClip(const std::vector<float>& samples, int sampleRate) {
    stop();
    samples_ = samples;
    sampleRate_ = sampleRate;
}

bool ClipPlayer::isPlaying() const { return sink_ && sink_->state() == QAudio::ActiveState; }

bool ClipPlayer::toggle(QString* error) {
    if (sink_ && sink_->state() == QAudio::ActiveState) {
        sink_->suspend();
        timer_.stop();
        return true;
    }
    if (sink_ && sink_->state() == QAudio::SuspendedState) {
        sink_->resume();
        timer_.start();
        return true;
    }
    return start(error);
}

bool ClipPlayer::start(QString* error) {
    stop();
    if (samples_.empty()) {
        if (error) *error = tr("no clip to play");
        return false;
    }
    const QAudioDevice device = QMediaDevices::defaultAudioOutput();
    if (device.isNull()) {
        if (error) *error = tr("no audio output device found");
        return false;
    }
    QAudioFormat format;
    format.setSampleRate(sampleRate_);
    format.setChannelCount(1);
    format.setSampleFormat(QAudioFormat::Float);
    if (!device.isFormatSupported(format)) format = device.preferredFormat();
    sinkRate_ = format.sampleRate();
    pcm_ = monoToPcm(resample(samples_, sampleRate_, sinkRate_), format);
    buffer_.close();
    buffer_.setData(pcm_);
    buffer_.open(QIODevice::ReadOnly);
    sink_ = std::make_unique<QAudioSink>(device, format);
    connect(sink_.get(), &QAudioSink::stateChanged, this, [this](QAudio::State state) {
        if (state == QAudio::IdleState) stop();  // played to the end
    });
    sink_->start(&buffer_);
    if (sink_->error() != QAudio::NoError) {
        if (error) *error = tr("the audio output could not be opened");
        stop();
        return false;
    }
    timer_.start();
    return true;
}

void ClipPlayer::stop() {
    timer_.stop();
    if (sink_) {
        auto sink = std::move(sink_);
        sink->disconnect(this);
        sink->stop();
        emit stopped();
    }
}

void ClipPlayer::poll() {
    if (sink_) emit positionChanged(double(sink_->processedUSecs()) / 1e6);
}

}  // namespace s4scope::app
