#pragma once
// The Evaluate tab (issue 18, DESIGN.md §10): judges the checked methods on the current clip —
// deletion and insertion curves beside the random-order reference, a table of AUC, ΔA_F, the
// randomisation check, localisation against the word's interval and conservation, and LRP's
// conservation layer by layer. evaluation::evaluateClip runs on the panel's own worker thread,
// cancellable, with progress; the views only draw its result. The word's interval is marked by
// dragging on the panel's waveform strip (or Ctrl+drag on the explanation view), or comes from the
// clip's WORD.word.json sidecar or a session.
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include <QStringList>
#include <QWidget>

#include "app/evaluation_export.h"
#include "s4scope/evaluation.h"
#include "views/figure_export.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QToolButton;

namespace s4scope::views {
class EvaluationPlot;
class ConservationPlot;
class IntervalMarker;
class TimeLinkedPlot;
class WordStrip;
}  // namespace s4scope::views

namespace s4scope::app {

class ComputeService;

// What an evaluation needs, gathered by the window when the user asks for one.
struct EvaluationInput {
    std::shared_ptr<const Model> model;
    std::vector<float> samples;
    int sampleRate = 16000;
    std::vector<ExplainRequest> requests;  // the checked methods with their parameters
    QStringList names;                     // their display names
    int64_t target = -1;                   // -1: the predicted class
    QString clipPath;
    double offsetSeconds = 0;
    QString title;                         // "yes.wav" and the analysed second
};

class EvaluatePanel : public QWidget {
    Q_OBJECT
public:
    explicit EvaluatePanel(QWidget* parent = nullptr);
    ~EvaluatePanel() override;

    // Called when Evaluate is pressed; nullopt (with the reason in *why) when nothing can be evaluated.
    using InputProvider = std::function<std::optional<EvaluationInput>(QString* why)>;
    void setInputProvider(InputProvider provider) { provider_ = std::move(provider); }

    // A new clip: the results go; the interval is whatever setWordInterval gives next.
    void setClip(const std::vector<float>& samples, int sampleRate, double offsetSeconds);
    // In samples of the analysed second; nullopt clears it. `source` says where it came from.
    void setWordInterval(std::optional<evaluation::Interval> word, const QString& source);
    std::optional<evaluation::Interval> wordInterval() const { return word_; }
    // Also lets Ctrl+drag on `plot` (the explanation view) mark the interval.
    void attachMarker(views::TimeLinkedPlot* plot);

    // The options the next evaluation runs with (its word interval included).
    evaluation::EvaluationOptions options() const;
    void setBaseline(evaluation::Baseline baseline);
    void setRandomOrders(int orders);
    void setRandomisation(bool on);

    const std::optional<EvaluationData>& result() const { return result_; }
    bool isBusy() const;

    views::EvaluationPlot* curvesPlot() const { return curves_; }
    views::ConservationPlot* conservationPlot() const { return conservation_; }
    views::WordStrip* wordStrip() const { return strip_; }
    QTableWidget* table() const { return table_; }
    QLabel* progressLabel() const { return progress_; }
    QLabel* wordLabel() const { return wordLabel_; }
    QPushButton* evaluateButton() const { return evaluate_; }

    // The table's columns (for tests and the export's order).
    enum Column { Method, AucDeletion, AucInsertion, DeltaAF, Randomisation, Sanity, MassAccuracy, Pointing, Conservation, ColumnCount };

public slots:
    bool evaluate();  // false (and a message) when there is nothing to evaluate
    void cancel();
    void clear();
    // The curves figure, or with `conservation` the per-layer plot. False (and a message) on failure.
    bool exportFigure(const QString& path, const views::FigureOptions& options, bool conservation = false);
    bool exportData(const QString& path);  // .csv or .json

signals:
    void ready();
    void failed(const QString& message);
    void statusMessage(const QString& message);
    void wordIntervalChanged();

private:
    void showResult();
    void fillTable();
    void showWord();
    void onMarked(double startSeconds, double endSeconds);
    void chooseFigure();
    void chooseData();

    ComputeService* compute_;
    InputProvider provider_;
    views::EvaluationPlot* curves_;
    views::ConservationPlot* conservation_;
    views::WordStrip* strip_;
    std::vector<views::IntervalMarker*> markers_;
    QTableWidget* table_;
    QComboBox* baseline_;
    QSpinBox* orders_;
    QCheckBox* randomisation_;
    QPushButton* evaluate_;
    QToolButton* cancel_;
    QToolButton* exportFigure_;
    QToolButton* exportData_;
    QLabel* progress_;
    QLabel* wordLabel_;
    QToolButton* clearWord_;

    int sampleRate_ = 16000;
    int64_t clipSamples_ = 0;
    std::optional<evaluation::Interval> word_;
    QString wordSource_;
    std::optional<EvaluationData> result_;
    quint64 generation_ = 0;
};

}  // namespace s4scope::app
