#pragma once
// Live capture for the live mode: a QAudioSource in the device's own (preferred) format feeding a
// rolling one-second window at the model's rate. Remembers when each chunk arrived so that a result
// computed from the window can be dated back to the sound (latency from sound to screen). Reports,
// as messages and never by crashing, a missing microphone, a format the device cannot open and a
// device that disappears or fails while recording (Qt's error states, the device list, which is
// also polled because Qt 6.4's PulseAudio backend does not always signal changes, and a stall).
#include <deque>
#include <memory>
#include <optional>
#include <utility>

#include <QAudioDevice>
#include <QAudioFormat>
#include <QElapsedTimer>
#include <QObject>

#include "s4scope/rolling_window.h"

class QAudioSource;
class QIODevice;
class QMediaDevices;
class QTimer;

namespace s4scope::app {

class LiveCapture : public QObject {
    Q_OBJECT
public:
    LiveCapture(int64_t windowSamples, int sampleRate, QObject* parent = nullptr);
    ~LiveCapture() override;

    // Starts recording from `device` in `format` (invalid: the device's preferred format).
    // Returns false and emits failed() with a message when the device is missing or the format
    // cannot be opened.
    bool start(const QAudioDevice& device, const std::optional<QAudioFormat>& format = std::nullopt);
    void stop();
    bool isRunning() const { return source_ != nullptr; }
    QAudioDevice device() const { return device_; }
    QAudioFormat format() const { return format_; }

    const RollingWindow& window() const { return window_; }
    // Monotonic time (ns, on a clock shared by the app) when the window's clock reached `clock`.
    qint64 arrivalNs(int64_t clock) const;
    // The shared monotonic clock (ns) the arrival times use.
    qint64 nowNs() const { return clock_.nsecsElapsed(); }

signals:
    void audioArrived(qint64 clock);
    void failed(const QString& message);  // recording has stopped
    void runningChanged(bool running);

private:
    void onReadyRead();
    void onStateChanged();
    void onInputsChanged();
    void watch();
    void fail(const QString& message);

    RollingWindow window_;
    QMediaDevices* devices_;
    QAudioDevice device_;
    QAudioFormat format_;
    std::unique_ptr<QAudioSource> source_;
    QIODevice* stream_ = nullptr;
    QElapsedTimer clock_;
    QTimer* watchdog_;
    qint64 lastAudioNs_ = 0;
    std::deque<std::pair<int64_t, qint64>> arrivals_;  // (window clock after a chunk, ns)
};

// Plain-language text for a QAudioSource error.
QString audioErrorText(int error);

}  // namespace s4scope::app
