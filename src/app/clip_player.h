#pragma once
// Plays the clip through the default audio output (QAudioSink) and reports the position for the
// playhead. Converts to whatever format the device takes.
#include <memory>
#include <vector>

#include <QBuffer>
#include <QObject>
#include <QTimer>

class QAudioSink;

namespace s4scope::app {

class ClipPlayer : public QObject {
    Q_OBJECT
public:
    explicit ClipPlayer(QObject* parent = nullptr);
    ~ClipPlayer() override;

    void setClip(const std::vector<float>& samples, int sampleRate);
    // Starts, pauses or resumes. Returns false (and says why in `error`) without an output device.
    bool toggle(QString* error = nullptr);
    void stop();
    bool isPlaying() const;

signals:
    void positionChanged(double seconds);  // while playing, every ~30 ms
    void stopped();                        // at the end or on stop()

private:
    bool start(QString* error);
    void poll();

    std::vector<float> samples_;
    int sampleRate_ = 16000;
    QByteArray pcm_;
    QBuffer buffer_;
    std::unique_ptr<QAudioSink> sink_;
    int sinkRate_ = 16000;
    QTimer timer_;
};

}  // namespace s4scope::app
