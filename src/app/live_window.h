#pragma once
// Live mode: the microphone feeds a rolling one-second window, re-evaluated several times a second
// on a worker thread (classify + one single-pass attribution method). Shows the current keyword
// with its confidence (or "no speech" when the energy gate is closed), a history strip of the last
// seconds, the window's waveform and spectrogram with the method's relevance, the measured update
// rate and the latency from sound to screen. Freeze hands the current second to the explorer.
#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include <QAudioDevice>
#include <QAudioFormat>
#include <QWidget>

#include "s4scope/model.h"
#include "s4scope/rolling_window.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTimer;

namespace s4scope::views {
class ExplanationPlot;
}

namespace s4scope::app {

class LiveCapture;
class LiveEvaluator;
class LiveHistoryStrip;
struct LiveResult;

// One result as it reached the screen.
struct LiveShown {
    qint64 clock = 0;
    bool speech = false;
    QString label;          // the keyword, or empty for no speech
    float confidence = 0;
    double latencyMs = 0;   // from the window's newest sound arriving to the result drawn
    double drawMs = 0;      // the GUI thread's time to draw it (wall clock)
    double drawCpuMs = 0;   // the same as CPU time of the GUI thread (leaves out waiting for a core)
};

class LiveWindow : public QWidget {
    Q_OBJECT
public:
    explicit LiveWindow(std::shared_ptr<const Model> model, QWidget* parent = nullptr);
    ~LiveWindow() override;

    void setModel(std::shared_ptr<const Model> model);
    // Records from `device` (null: the system's default input) in `format` (none: the device's
    // preferred format). Returns false (and shows why) when recording cannot start.
    bool startRecording(const QAudioDevice& device = QAudioDevice(), const std::optional<QAudioFormat>& format = std::nullopt);
    void stopRecording();
    bool isRecording() const;

    void setUpdatesPerSecond(int rate);
    void setThresholdDb(double db);
    void setMethod(const QString& id);
    QString method() const;
    // R[f,t] over the spectrogram (DESIGN.md §8), computed with each window on the evaluator's worker.
    void setTimeFrequency(bool on);
    bool timeFrequency() const;

    QString displayText() const;  // what the big label shows
    QString message() const;      // the last error or status message
    double updateRate() const;    // results drawn per second, over the last two seconds
    double latencyMs() const { return latencyMs_; }
    // The GUI thread's time to draw one result since recording started: mean and worst, wall clock
    // (each result's own is in shown()).
    double drawMsMean() const { return draws_ ? drawMsSum_ / double(draws_) : 0; }
    double drawMsMax() const { return drawMsMax_; }
    LiveHistoryStrip* history() const { return history_; }
    views::ExplanationPlot* plot() const { return plot_; }
    LiveEvaluator* evaluator() const { return evaluator_; }
    LiveCapture* capture() const { return capture_; }

    // Draws one evaluated window (what happens to each result while recording; public so the
    // offscreen benchmark can time it without a microphone).
    void showResult(const LiveResult& result);

public slots:
    void freeze();

signals:
    void shown(const s4scope::app::LiveShown& result);
    void frozen(const std::vector<float>& samples, int sampleRate);
    void failed(const QString& message);

protected:
    void closeEvent(QCloseEvent* event) override;
    void showEvent(QShowEvent* event) override;  // the first show fits the window on its screen

private:
    void buildUi();
    void fillDevices();
    void tick();
    void onEvaluated(const LiveResult& result);
    void onFailed(const QString& message);
    void updateControls();
    void showMessage(const QString& text, bool error);

    std::shared_ptr<const Model> model_;
    LiveCapture* capture_;
    LiveEvaluator* evaluator_;
    VoiceActivityGate gate_;
    QTimer* tick_;
    qint64 lastSubmitted_ = -1;
    quint64 run_ = 0;
    bool placed_ = false;  // bumps with every Start: results computed for an earlier recording are dropped
    std::vector<float> lastWindow_;
    std::deque<qint64> drawTimesNs_;
    double latencyMs_ = 0;
    double drawMsSum_ = 0, drawMsMax_ = 0;
    qint64 draws_ = 0;

    QComboBox* deviceCombo_;
    QComboBox* methodCombo_;
    QCheckBox* tfCheck_;
    QSpinBox* rateSpin_;
    QDoubleSpinBox* thresholdSpin_;
    QPushButton* startButton_;
    QPushButton* freezeButton_;
    QLabel* wordLabel_;
    QLabel* statsLabel_;
    QLabel* messageLabel_;
    LiveHistoryStrip* history_;
    views::ExplanationPlot* plot_;
};

}  // namespace s4scope::app
