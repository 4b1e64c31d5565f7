#pragma once
// The time–frequency panel (issue 17, DESIGN.md §8): R[f,t] over the spectrogram with its profile,
// overlay toggle and opacity, and the listening controls — play what speaks for the class (F7),
// against it (F8) and what is left (F9), a top-k % slider, the model's target probability on each
// masked clip beside its button, and WAV export of each. Everything is computed on the panel's own
// worker thread (tf::explainInTimeFrequency); the panel only shows and plays the results.
#include <array>
#include <memory>
#include <optional>
#include <vector>

#include <QWidget>

#include "s4scope/attribution.h"
#include "s4scope/model.h"
#include "signal/spectrogram.h"
#include "tf/tf_explanation.h"

class QCheckBox;
class QLabel;
class QPushButton;
class QSlider;
class QToolButton;

namespace s4scope::views {
class TfRelevancePlot;
}

namespace s4scope::app {

class ComputeService;
class ClipPlayer;

class TfPanel : public QWidget {
    Q_OBJECT
public:
    explicit TfPanel(QWidget* parent = nullptr);
    ~TfPanel() override;

    // A new explanation of a clip: R[f,t] and the listening signals are computed on the worker;
    // `ready` follows (older requests still running are dropped).
    void explain(std::shared_ptr<const Model> model, const std::vector<float>& samples, int sampleRate,
                 const signal::Spectrogram& spectrogram, const Explanation& explanation);
    void clear();

    views::TfRelevancePlot* plot() const { return plot_; }
    const std::optional<tf::TfExplanation>& result() const { return result_; }
    bool isBusy() const;

    double topPercent() const;
    void setTopPercent(double percent);  // recomputes the listening signals (1 .. 100, steps of 1)

    // The buttons' masks, in order: for, against, rest.
    QPushButton* listenButton(signal::ListenMask kind) const;
    QLabel* probabilityLabel(signal::ListenMask kind) const;
    QCheckBox* overlayToggle() const { return overlay_; }
    QSlider* opacitySlider() const { return opacity_; }
    QSlider* topSlider() const { return top_; }
    // What play() last handed to the audio output (empty before any).
    const std::vector<float>& lastPlayed() const { return lastPlayed_; }

public slots:
    // Plays the masked clip (stops what plays). Without an audio device the reason is shown.
    void play(signal::ListenMask kind);
    // Writes the masked clip as 32-bit float WAV; false (and a message) on failure.
    bool exportListening(signal::ListenMask kind, const QString& path);

signals:
    void ready();
    void failed(const QString& message);
    void statusMessage(const QString& message);

private:
    void recompute();
    void showResult();
    int indexOf(signal::ListenMask kind) const;
    void chooseExport(signal::ListenMask kind);

    ComputeService* compute_;
    ClipPlayer* player_;
    views::TfRelevancePlot* plot_;
    QCheckBox* overlay_;
    QSlider* opacity_;
    QSlider* top_;
    QLabel* topLabel_;
    QLabel* conservation_;
    std::array<QPushButton*, 3> buttons_{};
    std::array<QLabel*, 3> probabilities_{};
    std::array<QToolButton*, 3> exports_{};

    std::shared_ptr<const Model> model_;
    std::vector<float> samples_;
    int sampleRate_ = 16000;
    signal::Spectrogram spectrogram_;
    std::optional<Explanation> explanation_;
    std::optional<tf::TfExplanation> result_;
    double scale_ = 0;  // the overlay's colour range (signal::robustScale, computed with result_)
    std::vector<float> lastPlayed_;
    quint64 generation_ = 0;
};

}  // namespace s4scope::app
