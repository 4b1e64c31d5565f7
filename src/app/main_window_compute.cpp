// MainWindow: the explorer document's wiring — what the method panel asks it for, and how its
// model, clip, prediction, explanations and comparisons are shown.
#include <QFileInfo>
#include <QStatusBar>

#include "app/error_dialog.h"
#include "app/main_window.h"
#include "app/method_panel.h"
#include "app/clip_player.h"
#include "app/recent_files.h"
#include "app/tf_panel.h"
#include "ui_main_window.h"
#include "views/agreement_plot.h"
#include "views/comparison_plot.h"
#include "views/explanation_plot.h"
#include "views/probability_plot.h"

namespace s4scope::app {
namespace {

QString labelOf(const Model& model, int64_t target) {
    const auto& labels = model.config().labels;
    return target >= 0 && target < int64_t(labels.size()) ? QString::fromStdString(labels[size_t(target)]) : QString();
}

QString millis(double ms) { return QString::number(ms, 'f', ms < 10 ? 1 : 0); }

}  // namespace

void MainWindow::connectExplorer() {
    explorer_->setRequests(requestsFromPanel());
    connect(explorer_, &Explorer::busyChanged, this, &MainWindow::onBusyChanged);
    connect(explorer_, &Explorer::progress, this, &MainWindow::onProgress);
    connect(explorer_, &Explorer::modelLoading, this, [this] { statusBar()->showMessage(tr("Loading the model…")); });
    connect(explorer_, &Explorer::modelReady, this, &MainWindow::onModelReady);
    connect(explorer_, &Explorer::clipReady, this, &MainWindow::onClipReady);
    connect(explorer_, &Explorer::predictionReady, this, &MainWindow::onPrediction);
    connect(explorer_, &Explorer::explanationReady, this, &MainWindow::onExplained);
    connect(explorer_, &Explorer::comparisonReady, this, &MainWindow::onCompared);
    connect(explorer_, &Explorer::failed, this, &MainWindow::onFailed);
    connect(explorer_, &Explorer::cancelled, this, &MainWindow::onCancelled);
}

// The panel's state at the moment the document asks: parameters edited while a clip loads count.
ExplorerRequests MainWindow::requestsFromPanel() const {
    ExplorerRequests r;
    r.forMethod = [this](const QString& id) { return ui_->methodPanel->request(id); };
    r.explainOnLoad = [this] { return ui_->actionAutoExplain->isChecked() ? ui_->methodPanel->currentMethod() : QString(); };
    r.keepComparison = [this] { return ui_->viewTabs->currentWidget() == ui_->comparisonTab; };
    return r;
}

void MainWindow::onModelReady() {
    const auto& model = *explorer_->model();
    statusBar()->showMessage(tr("Model loaded: %1").arg(QString::fromStdString(model.source())), 4000);
    ui_->methodPanel->setLabels(model.config().labels);
    probabilityPlot()->setLabels(model.config().labels);
    updateStatus();
    updateLiveModel();
}

void MainWindow::onClipReady() {
    const Clip& clip = explorer_->clip();
    player_->setClip(clip.samples, clip.sampleRate);
    explanationPlot()->setClip(clip.samples, clip.sampleRate, clip.spectrogram);
    explanationPlot()->setTitle(clipTitle());
    comparisonPlot()->setClip(clip.samples, clip.sampleRate);
    comparisonPlot()->setSpectrogram(clip.spectrogram);
    agreementPlot()->setAgreement({}, {});
    probabilityPlot()->setProbabilities({}, -1, -1);
    tfPanel_->clear();
    recent_->add(clip.path);
    updateStatus();
}

void MainWindow::onPrediction() {
    const Prediction& p = *explorer_->prediction();
    ui_->methodPanel->setPredicted(int(p.classIndex));
    const auto& e = explorer_->explanation();
    probabilityPlot()->setProbabilities(p.probabilities, int(p.classIndex), e ? int(e->target) : -1);
    updateStatus();
}

void MainWindow::explainCurrent() {
    if (!explorer_->explain(ui_->methodPanel->currentMethod()))
        statusBar()->showMessage(tr("Open a clip first (Ctrl+O), pick a sample clip or record one"), 5000);
}

void MainWindow::onExplained() {
    const Explanation& e = *explorer_->explanation();
    const QString name = ui_->methodPanel->displayName(QString::fromStdString(e.method));
    explanationPlot()->setRelevance(e.relevance);
    tfPanel_->explain(explorer_->model(), explorer_->clip().samples, explorer_->clip().sampleRate, explorer_->clip().spectrogram, e);
    explanationPlot()->setTitle(tr("%1  ·  %2 for class '%3'  (red: evidence for it, blue: against)")
                                    .arg(clipTitle(), name,
                                         labelOf(*explorer_->model(), e.target)));
    if (const auto& p = explorer_->prediction())
        probabilityPlot()->setProbabilities(p->probabilities, int(p->classIndex), int(e.target));
    timeLabel_->setText(tr("%1: %2 ms").arg(name, millis(e.elapsedMs)));
    timeLabel_->setToolTip(e.conservation ? QString::fromStdString(conservationSummary(*e.conservation)) : QString());
    if (e.conservation) timeLabel_->setText(timeLabel_->text() + tr("  ·  Σ %1% off").arg(100 * e.conservation->relativeError(), 0, 'g', 2));
}

void MainWindow::compareChecked() { compare(ui_->methodPanel->comparedMethods()); }

void MainWindow::compare(const QStringList& methodIds) {
    if (!explorer_->compare(methodIds))
        statusBar()->showMessage(tr("Check the methods to compare in the method list first"), 5000);
}

void MainWindow::onCompared() {
    showComparison();
    showComparisonTab(true);
    double total = 0;
    for (const Explanation& e : explorer_->comparison()) total += e.elapsedMs;
    timeLabel_->setText(tr("comparison of %1 methods: %2 ms").arg(explorer_->comparison().size()).arg(total, 0, 'f', 0));
}

void MainWindow::showComparison() {
    const auto& comparison = explorer_->comparison();
    std::vector<views::RelevanceMap> maps;
    QStringList names;
    const auto& stats = explorer_->comparisonStats();
    for (size_t i = 0; i < comparison.size(); ++i) {
        const Explanation& e = comparison[i];
        const QString name = ui_->methodPanel->displayName(QString::fromStdString(e.method));
        views::RelevanceMap map{name, tr("%1 ms").arg(millis(e.elapsedMs)), e.relevance};
        if (i < stats.size()) {
            map.maxAbs = stats[i].maxAbs;
            map.sum = stats[i].sum;
        }
        const signal::TfComparison& tf = explorer_->comparisonTf();  // the TF rows' data, when asked for
        if (tf.maps.size() == comparison.size()) {
            map.tf = std::make_shared<const signal::TfRelevance>(tf.maps[i]);
            map.tfScale = tf.scales[i];
        }
        if (e.conservation)
            map.conservation = tr("(%1 %2: %3 % off)")
                                   .arg(QString::fromStdString(e.conservation->reference))
                                   .arg(e.conservation->expected, 0, 'g', 3)
                                   .arg(100 * e.conservation->relativeError(), 0, 'g', 2);
        maps.push_back(std::move(map));
        names << name;
    }
    const int64_t target = comparison.empty() ? -1 : comparison.front().target;
    comparisonPlot()->setTitle(tr("%1  ·  relevance for class '%2'  (red: for, blue: against)")
                                   .arg(clipTitle(), labelOf(*explorer_->model(), target)));
    comparisonPlot()->setMaps(maps);
    comparisonPlot()->setTimeRange(explanationPlot()->timeRange());
    agreementPlot()->setAgreement(names, explorer_->agreement());
}

void MainWindow::cancelComputation() {
    if (!explorer_->isBusy()) return;
    explorer_->cancel();
    statusBar()->showMessage(tr("Cancelling…"));
}

void MainWindow::onFailed(Explorer::Stage stage, const QString& what, const QString& message) {
    switch (stage) {
    case Explorer::Stage::Model:
        statusBar()->clearMessage();
        showError(this, tr("Cannot open the model"), message);
        return;
    case Explorer::Stage::Clip:
        showError(this, tr("Cannot open the audio file"), message);
        return;
    case Explorer::Stage::Compare:
        showError(this, tr("Comparison incomplete"), message);
        return;
    case Explorer::Stage::Scan:
        statusBar()->clearMessage();
        showError(this, tr("%1 failed").arg(what), message);
        return;
    case Explorer::Stage::Classify:
    case Explorer::Stage::Explain:
        showError(this, tr("%1 failed").arg(what), message);
        return;
    }
}

void MainWindow::onCancelled(Explorer::Stage stage, const QString& what) {
    if (stage == Explorer::Stage::Model) return statusBar()->clearMessage();  // it loads again when needed
    if (stage == Explorer::Stage::Clip) return;  // superseded by a newer clip
    statusBar()->showMessage(tr("%1 cancelled").arg(what), 5000);
}

}  // namespace s4scope::app
