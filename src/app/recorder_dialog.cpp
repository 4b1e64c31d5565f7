#include "app/recorder_dialog.h"

#include <algorithm>
#include <cmath>

#include <QAudioSource>
#include <QMediaDevices>
#include <QPushButton>

#include "app/pcm_convert.h"
#include "s4scope/audio_io.h"
#include "ui_recorder_dialog.h"

namespace s4scope::app {

RecorderDialog::RecorderDialog(int sampleRate, int samples, QWidget* parent)
    : QDialog(parent), ui_(std::make_unique<Ui::RecorderDialog>()), sampleRate_(sampleRate), samples_(samples) {
    ui_->setupUi(this);
    recordButton_ = ui_->buttonBox->addButton(tr("&Record"), QDialogButtonBox::ActionRole);
    recordButton_->setToolTip(tr("Count down from 3, then record one second"));
    ui_->buttonBox->button(QDialogButtonBox::Cancel)->setToolTip(tr("Close without recording"));
    connect(recordButton_, &QPushButton::clicked, this, &RecorderDialog::startCountdown);
    connect(ui_->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
    countdown_.setInterval(1000);
    connect(&countdown_, &QTimer::timeout, this, &RecorderDialog::tick);
    QFont big = ui_->countdownLabel->font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    ui_->countdownLabel->setFont(big);

    const QList<QAudioDevice> devices = QMediaDevices::audioInputs();
    const QAudioDevice preferred = QMediaDevices::defaultAudioInput();
    for (const QAudioDevice& d : devices) ui_->deviceCombo->addItem(d.description(), QVariant::fromValue(d));
    if (devices.isEmpty()) {
        ui_->deviceCombo->addItem(tr("no microphone found"));
        ui_->deviceCombo->setEnabled(false);
        recordButton_->setEnabled(false);
        ui_->countdownLabel->setText(tr("No audio input device is available."));
    } else {
        const int index = std::max(0, int(devices.indexOf(preferred)));
        ui_->deviceCombo->setCurrentIndex(index);
        openDevice(index);
    }
    connect(ui_->deviceCombo, qOverload<int>(&QComboBox::currentIndexChanged), this, &RecorderDialog::openDevice);
}

RecorderDialog::~RecorderDialog() {
    if (source_) source_->stop();
}

bool RecorderDialog::hasDevices() const { return !QMediaDevices::audioInputs().isEmpty(); }

// The meter runs as soon as a device is chosen, so the level can be checked before recording.
void RecorderDialog::openDevice(int index) {
    if (source_) source_->stop();
    source_.reset();
    stream_ = nullptr;
    const QAudioDevice device = ui_->deviceCombo->itemData(index).value<QAudioDevice>();
    if (device.isNull()) return;
    format_.setSampleRate(sampleRate_);
    format_.setChannelCount(1);
    format_.setSampleFormat(QAudioFormat::Float);
    if (!device.isFormatSupported(format_)) format_ = device.preferredFormat();
    source_ = std::make_unique<QAudioSource>(device, format_);
    stream_ = source_->start();
    if (stream_) connect(stream_, &QIODevice::readyRead, this, &RecorderDialog::onAudio);
}

void RecorderDialog::onAudio() {
    const std::vector<float> chunk = pcmToMono(stream_->readAll(), format_);
    float peak = 0;
    for (float v : chunk) peak = std::max(peak, std::abs(v));
    ui_->levelMeter->setValue(int(std::lround(100 * peak)));
    if (!capturing_) return;
    captured_.insert(captured_.end(), chunk.begin(), chunk.end());
    const size_t wanted = size_t(std::ceil(double(samples_) * format_.sampleRate() / sampleRate_));
    if (captured_.size() < wanted) return;
    capturing_ = false;
    captured_.resize(wanted);
    recording_ = resample(captured_, format_.sampleRate(), sampleRate_);
    recording_.resize(size_t(samples_), 0.f);
    accept();
}

void RecorderDialog::startCountdown() {
    recordButton_->setEnabled(false);
    ui_->deviceCombo->setEnabled(false);
    secondsLeft_ = 3;
    ui_->countdownLabel->setText(QString::number(secondsLeft_));
    countdown_.start();
}

void RecorderDialog::tick() {
    if (--secondsLeft_ > 0) {
        ui_->countdownLabel->setText(QString::number(secondsLeft_));
        return;
    }
    countdown_.stop();
    ui_->countdownLabel->setText(tr("Speak now!"));
    captured_.clear();
    if (stream_) stream_->readAll();  // drop what was buffered during the countdown
    capturing_ = true;
}

}  // namespace s4scope::app
