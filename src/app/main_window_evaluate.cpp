// MainWindow: the Evaluate tab (issue 18) — what it evaluates (the clip and the checked methods
// with their parameters, from the method panel) and the word's interval, kept in file time so it
// survives moving the analysed second and goes into sessions; it comes from a session, from the
// clip's WORD.word.json sidecar, or from a drag on the waveform.
#include <cmath>

#include <QFileInfo>
#include <QStatusBar>
#include <QTabWidget>

#include "app/evaluate_panel.h"
#include "app/main_window.h"
#include "app/method_panel.h"
#include "s4scope/error.h"
#include "ui_main_window.h"
#include "views/explanation_plot.h"

namespace s4scope::app {

void MainWindow::setUpEvaluation() {
    evaluatePanel_ = new EvaluatePanel(this);
    ui_->viewTabs->addTab(evaluatePanel_, tr("Evaluate"));
    ui_->viewTabs->setTabToolTip(ui_->viewTabs->indexOf(evaluatePanel_),
                                 tr("Judge the checked methods on this clip: faithfulness curves, the randomisation sanity check, "
                                    "localisation of the word and conservation"));
    evaluatePanel_->attachMarker(explanationPlot());
    evaluatePanel_->setInputProvider([this](QString* why) -> std::optional<EvaluationInput> {
        if (!explorer_->model() || !explorer_->hasClip()) {
            *why = tr("Nothing to evaluate: open a clip first");
            return std::nullopt;
        }
        const MethodPanel* panel = ui_->methodPanel;
        QStringList ids = panel->comparedMethods();
        if (ids.isEmpty() && !panel->currentMethod().isEmpty()) ids << panel->currentMethod();
        if (ids.isEmpty()) {
            *why = tr("Nothing to evaluate: check the methods to judge");
            return std::nullopt;
        }
        const Clip& clip = explorer_->clip();
        EvaluationInput input;
        input.model = explorer_->model();
        input.samples = clip.samples;
        input.sampleRate = clip.sampleRate;
        for (const QString& id : ids) {
            input.requests.push_back(panel->request(id));
            input.names << panel->displayName(id);
        }
        input.target = panel->target();
        input.clipPath = clip.path;
        input.offsetSeconds = clip.offsetSeconds;
        input.title = clipTitle();
        return input;
    });
    connect(explorer_, &Explorer::clipReady, this, &MainWindow::onClipForEvaluation);
    connect(evaluatePanel_, &EvaluatePanel::statusMessage, this, [this](const QString& m) { statusBar()->showMessage(m, 5000); });
    connect(evaluatePanel_, &EvaluatePanel::failed, this, [this](const QString& m) { statusBar()->showMessage(tr("Evaluate: %1").arg(m), 8000); });
    // A marked or cleared interval is remembered in file time (for the session and other seconds of the file).
    connect(evaluatePanel_, &EvaluatePanel::wordIntervalChanged, this, [this] {
        if (showingWord_ || !explorer_->hasClip()) return;
        const Clip& clip = explorer_->clip();
        const auto word = evaluatePanel_->wordInterval();
        wordFile_ = clip.path;
        wordSource_ = tr("marked");
        wordSeconds_.reset();
        if (word)
            wordSeconds_ = std::make_pair(clip.offsetSeconds + double(word->start) / clip.sampleRate,
                                          clip.offsetSeconds + double(word->end) / clip.sampleRate);
    });
}

void MainWindow::expectSessionWord(std::optional<std::pair<double, double>> seconds) {
    sessionWordPending_ = true;
    sessionWord_ = seconds;
}

void MainWindow::onClipForEvaluation() {
    const Clip& clip = explorer_->clip();
    if (sessionWordPending_ && sessionWord_) {
        wordSeconds_ = sessionWord_;
        wordFile_ = clip.path;
        wordSource_ = tr("from the session");
    } else if (clip.path != wordFile_) {
        // A new file: its sidecar, if any (samples at the model's rate from the file's start).
        wordFile_ = clip.path;
        wordSeconds_.reset();
        wordSource_.clear();
        try {
            if (const auto word = evaluation::readWordInterval(clip.path.toStdString())) {
                wordSeconds_ = std::make_pair(double(word->start) / clip.sampleRate, double(word->end) / clip.sampleRate);
                wordSource_ = QFileInfo(QString::fromStdString(evaluation::wordIntervalPath(clip.path.toStdString()))).fileName();
            }
        } catch (const std::exception& e) {
            statusBar()->showMessage(tr("Word interval ignored: %1").arg(QString::fromUtf8(e.what())), 8000);
        }
    }
    sessionWordPending_ = false;
    sessionWord_.reset();

    evaluatePanel_->setClip(clip.samples, clip.sampleRate, clip.offsetSeconds);
    std::optional<evaluation::Interval> word;
    if (wordSeconds_) {  // the part inside the analysed second
        const int64_t n = int64_t(clip.samples.size());
        const int64_t a = std::clamp<int64_t>(std::llround((wordSeconds_->first - clip.offsetSeconds) * clip.sampleRate), 0, n);
        const int64_t b = std::clamp<int64_t>(std::llround((wordSeconds_->second - clip.offsetSeconds) * clip.sampleRate), 0, n);
        if (a < b) word = evaluation::Interval{a, b};
    }
    showingWord_ = true;
    evaluatePanel_->setWordInterval(word, wordSource_);
    showingWord_ = false;
}

}  // namespace s4scope::app
