#pragma once
// Records one second from a microphone: a device picker, a live input level meter and a
// 3-2-1 countdown so the speaker starts on time. The result is at the model's sample rate.
#include <memory>
#include <vector>

#include <QAudioFormat>
#include <QDialog>
#include <QTimer>

class QAudioSource;
class QPushButton;
class QIODevice;

namespace Ui {
class RecorderDialog;
}

namespace s4scope::app {

class RecorderDialog : public QDialog {
    Q_OBJECT
public:
    RecorderDialog(int sampleRate, int samples, QWidget* parent = nullptr);
    ~RecorderDialog() override;

    const std::vector<float>& recording() const { return recording_; }
    int sampleRate() const { return sampleRate_; }
    bool hasDevices() const;

private:
    void openDevice(int index);
    void onAudio();
    void startCountdown();
    void tick();

    std::unique_ptr<Ui::RecorderDialog> ui_;
    QPushButton* recordButton_;
    std::unique_ptr<QAudioSource> source_;
    QIODevice* stream_ = nullptr;
    QAudioFormat format_;
    QTimer countdown_;
    int secondsLeft_ = 0;
    bool capturing_ = false;
    std::vector<float> captured_;   // at the device's rate
    std::vector<float> recording_;  // at sampleRate_
    int sampleRate_;
    int samples_;
};

}  // namespace s4scope::app
