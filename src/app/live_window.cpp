#include "app/live_window.h"

#include <algorithm>
#include <cmath>
#include <ctime>

#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMediaDevices>
#include <QPushButton>
#include <QScreen>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>

#include "app/live_capture.h"
#include "app/live_evaluator.h"
#include "app/live_history.h"
#include "s4scope/resources.h"
#include "views/explanation_plot.h"
#include "views/spectrogram_layer.h"

namespace s4scope::app {

namespace {
constexpr int kDefaultRate = 20;           // updates per second
constexpr double kDefaultThresholdDb = -45.0;

// CPU time of the calling thread (ms): drawing time that excludes waiting for a core.
double threadCpuMs() {
#if defined(CLOCK_THREAD_CPUTIME_ID)
    timespec t{};
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t) == 0) return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
#endif
    return 0.0;
}

// The model's name, and for the bundled model (trained on synthesised voices only) where better
// recognition of real voices comes from.
void showModelName(QLabel* label, const Model* model) {
    if (!label) return;
    if (!model) {
        label->setText(QObject::tr("Model: none"));
        return;
    }
    const QFileInfo weights(QString::fromStdString(model->source()));
    const QFileInfo bundled(QString::fromStdString(bundledModelPath()));
    const bool isBundled = weights.exists() && bundled.exists() && weights.canonicalPath() == bundled.canonicalPath() &&
                           weights.completeBaseName() == QStringLiteral("s4_kws");
    label->setText(isBundled ? QObject::tr("Model: %1 (bundled, trained on synthesised voices). Real voices are "
                                           "recognised best by a model trained on Speech Commands: see "
                                           "resources/models/README.md.")
                                   .arg(weights.fileName())
                             : QObject::tr("Model: %1").arg(weights.fileName().isEmpty()
                                                                ? QString::fromStdString(model->source())
                                                                : weights.fileName()));
}
}  // namespace

LiveWindow::LiveWindow(std::shared_ptr<const Model> model, QWidget* parent)
    : QWidget(parent, Qt::Window), model_(std::move(model)), gate_(kDefaultThresholdDb) {
    setObjectName(QStringLiteral("liveWindow"));
    setWindowTitle(tr("s4scope — live microphone"));
    const int rate = model_ ? model_->config().sample_rate : 16000;
    const int64_t length = model_ ? model_->config().seq_len : 16000;
    capture_ = new LiveCapture(length, rate, this);
    evaluator_ = new LiveEvaluator(this);
    evaluator_->setModel(model_);
    tick_ = new QTimer(this);
    tick_->setTimerType(Qt::PreciseTimer);
    buildUi();
    connect(tick_, &QTimer::timeout, this, &LiveWindow::tick);
    connect(evaluator_, &LiveEvaluator::evaluated, this, &LiveWindow::onEvaluated);
    connect(capture_, &LiveCapture::failed, this, &LiveWindow::onFailed);
    connect(capture_, &LiveCapture::runningChanged, this, &LiveWindow::updateControls);
    setUpdatesPerSecond(kDefaultRate);
    updateControls();
    resize(1100, 760);
}

LiveWindow::~LiveWindow() { capture_->stop(); }

void LiveWindow::buildUi() {
    deviceCombo_ = new QComboBox(this);
    deviceCombo_->setToolTip(tr("The microphone to listen to (recorded in its own format, resampled to 16 kHz)"));
    deviceCombo_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    methodCombo_ = new QComboBox(this);
    methodCombo_->setToolTip(tr("The attribution method drawn over the waveform (single-pass methods only)"));
    for (const std::string& id : singlePassMethods()) {
        const QString name = QString::fromStdString(methodInfo(id).displayName);
        methodCombo_->addItem(name, QString::fromStdString(id));
    }
    setMethod(QString::fromStdString(defaultMethod().id));
    tfCheck_ = new QCheckBox(tr("R[f,t]"), this);
    tfCheck_->setObjectName(QStringLiteral("liveTimeFrequency"));
    tfCheck_->setToolTip(tr("Draw the method's relevance in time and frequency over the spectrogram "
                            "(computed with each window, a few ms more per update)"));
    rateSpin_ = new QSpinBox(this);
    rateSpin_->setRange(1, 60);
    rateSpin_->setSuffix(tr(" /s"));
    rateSpin_->setToolTip(tr("How often the rolling one-second window is classified and explained"));
    thresholdSpin_ = new QDoubleSpinBox(this);
    thresholdSpin_->setRange(-100, 0);
    thresholdSpin_->setDecimals(0);
    thresholdSpin_->setSingleStep(3);
    thresholdSpin_->setSuffix(tr(" dBFS"));
    thresholdSpin_->setValue(kDefaultThresholdDb);
    thresholdSpin_->setToolTip(tr("Voice-activity gate: below this level (newest 100 ms) live mode shows \"no speech\""));
    startButton_ = new QPushButton(tr("&Start"), this);
    startButton_->setToolTip(tr("Start or stop listening"));
    freezeButton_ = new QPushButton(tr("&Freeze"), this);
    freezeButton_->setToolTip(tr("Take the current second into the explorer (Space)"));
    freezeButton_->setShortcut(QKeySequence(Qt::Key_Space));

    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Microphone:"), this));
    controls->addWidget(deviceCombo_, 1);
    controls->addWidget(new QLabel(tr("Method:"), this));
    controls->addWidget(methodCombo_);
    controls->addWidget(tfCheck_);
    controls->addWidget(new QLabel(tr("Rate:"), this));
    controls->addWidget(rateSpin_);
    controls->addWidget(new QLabel(tr("Gate:"), this));
    controls->addWidget(thresholdSpin_);
    controls->addWidget(startButton_);
    controls->addWidget(freezeButton_);

    wordLabel_ = new QLabel(tr("not listening"), this);
    wordLabel_->setObjectName(QStringLiteral("liveWord"));
    QFont big = wordLabel_->font();
    big.setPointSizeF(big.pointSizeF() * 2.6);
    big.setBold(true);
    wordLabel_->setFont(big);
    wordLabel_->setMinimumWidth(320);
    wordLabel_->setToolTip(tr("The current top class and its probability, or \"no speech\" when the gate is closed"));
    statsLabel_ = new QLabel(this);
    statsLabel_->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    statsLabel_->setObjectName(QStringLiteral("liveStats"));
    statsLabel_->setToolTip(tr("Measured updates per second; latency from the sound's arrival to the result on screen; "
                               "windows dropped because computation was behind; the engine's time per window; input level"));
    auto* top = new QHBoxLayout;
    top->addWidget(wordLabel_);
    top->addWidget(statsLabel_, 1);

    messageLabel_ = new QLabel(this);
    messageLabel_->setObjectName(QStringLiteral("liveMessage"));
    messageLabel_->setWordWrap(true);
    messageLabel_->hide();

    auto* modelLabel = new QLabel(this);
    modelLabel->setObjectName(QStringLiteral("liveModel"));
    modelLabel->setWordWrap(true);
    showModelName(modelLabel, model_.get());

    history_ = new LiveHistoryStrip(this);
    if (model_) history_->setLabels(model_->config().labels);
    plot_ = new views::ExplanationPlot(this);
    plot_->setTitle(tr("The last second (newest on the right)"));

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(modelLabel);
    layout->addWidget(messageLabel_);
    layout->addLayout(top);
    layout->addWidget(history_);
    layout->addWidget(plot_, 1);

    fillDevices();
    auto* devices = new QMediaDevices(this);
    connect(devices, &QMediaDevices::audioInputsChanged, this, &LiveWindow::fillDevices);
    connect(startButton_, &QPushButton::clicked, this, [this] {
        if (isRecording()) stopRecording();
        else startRecording(deviceCombo_->currentData().value<QAudioDevice>());
    });
    connect(freezeButton_, &QPushButton::clicked, this, &LiveWindow::freeze);
    connect(rateSpin_, qOverload<int>(&QSpinBox::valueChanged), this, [this](int r) { tick_->setInterval(1000 / std::max(1, r)); });
    connect(thresholdSpin_, qOverload<double>(&QDoubleSpinBox::valueChanged), this, [this](double db) { gate_.setThresholdDb(db); });
}

void LiveWindow::fillDevices() {
    const QString current = deviceCombo_->currentData().value<QAudioDevice>().id();
    deviceCombo_->clear();
    const QList<QAudioDevice> inputs = QMediaDevices::audioInputs();
    for (const QAudioDevice& d : inputs) deviceCombo_->addItem(d.description(), QVariant::fromValue(d));
    if (inputs.isEmpty()) deviceCombo_->addItem(tr("no microphone found"));
    int index = std::max(0, int(inputs.indexOf(QMediaDevices::defaultAudioInput())));
    for (int i = 0; i < inputs.size(); ++i)
        if (inputs[i].id() == current) index = i;
    deviceCombo_->setCurrentIndex(index);
    updateControls();
}

void LiveWindow::setModel(std::shared_ptr<const Model> model) {
    model_ = std::move(model);
    evaluator_->setModel(model_);
    if (model_) history_->setLabels(model_->config().labels);
    showModelName(findChild<QLabel*>(QStringLiteral("liveModel")), model_.get());
}

bool LiveWindow::startRecording(const QAudioDevice& device, const std::optional<QAudioFormat>& format) {
    QAudioDevice chosen = device;
    if (chosen.isNull()) chosen = QMediaDevices::defaultAudioInput();
    if (chosen.isNull()) return capture_->start(chosen);  // says there is no microphone
    if (!model_) {
        showMessage(tr("No model is loaded yet."), true);
        return false;
    }
    history_->clear();
    drawTimesNs_.clear();
    drawMsSum_ = drawMsMax_ = 0;
    draws_ = 0;
    lastSubmitted_ = -1;
    latencyMs_ = 0;
    ++run_;          // windows of the last recording still being computed are dropped when they arrive
    gate_.reset();   // the new stream's clock starts at 0: a hold from the old one would open the gate
    if (!capture_->start(chosen, format)) return false;
    const QAudioFormat f = capture_->format();
    showMessage(tr("Listening to \"%1\" (%2 Hz, %3 channel(s))").arg(chosen.description()).arg(f.sampleRate()).arg(f.channelCount()), false);
    wordLabel_->setText(tr("listening…"));
    tick_->start();
    return true;
}

void LiveWindow::stopRecording() {
    tick_->stop();
    capture_->stop();
    wordLabel_->setText(tr("not listening"));
}

bool LiveWindow::isRecording() const { return capture_->isRunning(); }

void LiveWindow::setUpdatesPerSecond(int rate) { rateSpin_->setValue(rate); tick_->setInterval(1000 / std::max(1, rate)); }
void LiveWindow::setThresholdDb(double db) { thresholdSpin_->setValue(db); gate_.setThresholdDb(db); }
void LiveWindow::setMethod(const QString& id) {
    const int index = methodCombo_->findData(id);
    if (index >= 0) methodCombo_->setCurrentIndex(index);
}
QString LiveWindow::method() const { return methodCombo_->currentData().toString(); }
void LiveWindow::setTimeFrequency(bool on) { tfCheck_->setChecked(on); }
bool LiveWindow::timeFrequency() const { return tfCheck_->isChecked(); }
QString LiveWindow::displayText() const { return wordLabel_->text(); }
QString LiveWindow::message() const { return messageLabel_->text(); }

// Over the last two seconds of draws, once they span at least one: over a shorter span, two results
// drawn close together right after Start read as twice the rate asked for.
double LiveWindow::updateRate() const {
    if (drawTimesNs_.size() < 2 || drawTimesNs_.back() - drawTimesNs_.front() < 1'000'000'000LL) return 0;
    return double(drawTimesNs_.size() - 1) * 1e9 / double(drawTimesNs_.back() - drawTimesNs_.front());
}

// The GUI thread's share of the work: date the newest window, run the gate, hand it over.
void LiveWindow::tick() {
    if (!capture_->isRunning()) return;
    const RollingWindow& window = capture_->window();
    const qint64 clock = window.receivedSamples();
    if (clock == lastSubmitted_ || clock == 0) return;
    lastSubmitted_ = clock;
    LiveFrame frame;
    frame.samples = window.window();
    frame.clock = clock;
    frame.speech = gate_.update(window, clock);
    frame.method = method().toStdString();
    frame.run = run_;
    frame.timeFrequency = timeFrequency();
    evaluator_->submit(std::move(frame));
}

void LiveWindow::onEvaluated(const LiveResult& result) {
    if (capture_->isRunning() && result.run == run_) showResult(result);
}

// Everything an update changes is set first, then one immediate replot draws the plot and its
// repaint paints the labels and the history strip with it: a single pass over the window per result,
// timed whole (wall clock and the GUI thread's CPU time).
void LiveWindow::showResult(const LiveResult& result) {
    QElapsedTimer drawClock;
    drawClock.start();
    const double cpuStart = threadCpuMs();
    const Prediction& p = result.prediction;
    LiveShown out;
    out.clock = result.clock;
    out.speech = result.speech;
    if (result.speech && !p.label.empty()) {
        out.label = QString::fromStdString(p.label);
        out.confidence = p.probability;
        wordLabel_->setText(QStringLiteral("%1  %2%").arg(out.label).arg(std::lround(100 * p.probability)));
    } else {
        wordLabel_->setText(tr("no speech"));
    }
    const int rate = model_ ? model_->config().sample_rate : 16000;
    history_->add(double(result.clock) / rate, result.speech ? int(p.classIndex) : -1, p.probability);
    lastWindow_ = result.samples;
    if (result.tf.frames > 1) plot_->spectrogram()->setRelevanceOverlay(result.tf, result.tfScale);
    else plot_->spectrogram()->clearRelevanceOverlay();
    plot_->showFrame(result.samples, rate, result.spectrogram, result.relevance);
    // The rate and latency measured up to the previous result: this one's are known once it is drawn.
    const double measuredRate = updateRate();
    statsLabel_->setText(tr("%1 updates/s · latency %2 ms · dropped %3\n%4 %5 ms/window · level %6 dBFS%7")
                             .arg(measuredRate > 0 ? QString::number(measuredRate, 'f', 1) : QStringLiteral("…"))
                             .arg(latencyMs_, 0, 'f', 0)
                             .arg(evaluator_->dropped())
                             .arg(QString::fromStdString(methodInfo(method().toStdString()).displayName))
                             .arg(result.tf.frames > 0 ? tr("%1 + R[f,t] %2").arg(result.computeMs, 0, 'f', 1).arg(result.tfMs, 0, 'f', 1)
                                                       : QString::number(result.computeMs, 'f', 1))
                             .arg(gate_.lastLevelDb(), 0, 'f', 0)
                             .arg(result.error.isEmpty() ? QString() : tr(" · method failed: %1").arg(result.error)));
    plot_->replot(QCustomPlot::rpImmediateRefresh);

    const double drawMs = double(drawClock.nsecsElapsed()) / 1e6;
    const double drawCpuMs = threadCpuMs() - cpuStart;
    const qint64 now = capture_->nowNs();
    latencyMs_ = capture_->isRunning() ? double(now - capture_->arrivalNs(result.clock)) / 1e6 : 0.0;
    out.latencyMs = latencyMs_;
    out.drawMs = drawMs;
    out.drawCpuMs = drawCpuMs;
    drawMsSum_ += drawMs;
    drawMsMax_ = std::max(drawMsMax_, drawMs);
    ++draws_;
    drawTimesNs_.push_back(now);
    while (drawTimesNs_.size() > 2 && drawTimesNs_.front() < now - 2'000'000'000LL) drawTimesNs_.pop_front();
    emit shown(out);
}

void LiveWindow::freeze() {
    if (lastWindow_.empty()) {
        showMessage(tr("Nothing to freeze yet: start listening first."), true);
        return;
    }
    emit frozen(lastWindow_, model_ ? model_->config().sample_rate : 16000);
}

void LiveWindow::onFailed(const QString& message) {
    tick_->stop();
    wordLabel_->setText(tr("not listening"));
    showMessage(message, true);
    emit failed(message);
}

void LiveWindow::updateControls() {
    const bool recording = capture_->isRunning();
    startButton_->setText(recording ? tr("&Stop") : tr("&Start"));
    startButton_->setEnabled(recording || !deviceCombo_->currentData().value<QAudioDevice>().isNull());
    deviceCombo_->setEnabled(!recording && !QMediaDevices::audioInputs().isEmpty());
    if (!recording && QMediaDevices::audioInputs().isEmpty())
        showMessage(tr("No microphone: the system has no audio input device."), true);
}

void LiveWindow::showMessage(const QString& text, bool error) {
    messageLabel_->setText(text);
    messageLabel_->setStyleSheet(error ? QStringLiteral("color: #c0392b; font-weight: bold;") : QString());
    messageLabel_->setVisible(!text.isEmpty());
}

// 1100 x 760 plus the frame does not fit every screen (a 1080-line one with a panel, a laptop):
// the window shrinks to the screen's free area and moves inside it.
void LiveWindow::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (placed_) return;
    placed_ = true;
    QScreen* target = screen();
    if (parentWidget() && parentWidget()->screen()) target = parentWidget()->screen();
    if (!target) return;
    const QRect free = target->availableGeometry();
    const QRect frame = frameGeometry();
    const QSize decoration = frame.size() - size();
    const QSize room = free.size() - decoration;
    resize(std::min(width(), room.width()), std::min(height(), room.height()));
    QRect placed = frameGeometry();
    placed.moveCenter(parentWidget() ? parentWidget()->frameGeometry().center() : free.center());
    placed.moveLeft(std::clamp(placed.left(), free.left(), std::max(free.left(), free.right() - placed.width() + 1)));
    placed.moveTop(std::clamp(placed.top(), free.top(), std::max(free.top(), free.bottom() - placed.height() + 1)));
    move(placed.topLeft());
}

void LiveWindow::closeEvent(QCloseEvent* event) {
    stopRecording();
    QWidget::closeEvent(event);
}

}  // namespace s4scope::app
