// MainWindow: classifying, explaining and comparing on the worker thread, and showing the results.
#include <QFileInfo>
#include <QStatusBar>

#include "app/compute_service.h"
#include "app/error_dialog.h"
#include "app/main_window.h"
#include "app/method_panel.h"
#include "ui_main_window.h"
#include "views/agreement_plot.h"
#include "views/comparison_plot.h"
#include "views/explanation_plot.h"
#include "views/probability_plot.h"

namespace s4scope::app {
namespace {

// Explains on the worker: the request gets the job's cancel flag and progress callback.
std::function<Explanation(const JobContext&)> explainJob(std::shared_ptr<const Model> model, std::vector<float> samples,
                                                         ExplainRequest request) {
    return [model, samples = std::move(samples), request](const JobContext& context) {
        ExplainRequest r = request;
        r.cancel = context.cancel;
        r.progress = context.progress;
        return explain(*model, samples, r);
    };
}

// Collects a comparison's results in the order the methods were asked for.
struct ComparisonRun {
    QStringList ids;
    std::vector<std::optional<Explanation>> results;
    QStringList errors;
    int finished = 0;
    bool cancelled = false;
};

}  // namespace

void MainWindow::classify() {
    const quint64 generation = generation_;
    auto model = model_;
    const auto samples = clip_.samples;
    compute_->submit<Prediction>(
        tr("classifying"), [model, samples](const JobContext&) { return model->classify(samples); },
        [this, generation](Prediction p) {
            if (generation != generation_) return;
            prediction_ = std::move(p);
            ui_->methodPanel->setPredicted(int(prediction_->classIndex));
            const int target = explanation_ ? int(explanation_->target) : -1;
            probabilityPlot()->setProbabilities(prediction_->probabilities, int(prediction_->classIndex), target);
            updateStatus();
            emit predictionReady();
        },
        [this](const QString& message, bool cancelled) { onJobFailed(tr("Classifying"), message, cancelled); });
}

void MainWindow::explainCurrent() {
    if (!hasClip() || !model_) {
        statusBar()->showMessage(tr("Open a clip first (Ctrl+O), pick a sample clip or record one"), 5000);
        return;
    }
    explain(ui_->methodPanel->currentMethod());
}

void MainWindow::explain(const QString& methodId) {
    const quint64 generation = generation_;
    const QString name = ui_->methodPanel->displayName(methodId);
    compute_->submit<Explanation>(
        name, explainJob(model_, clip_.samples, ui_->methodPanel->request(methodId)),
        [this, generation](Explanation e) {
            if (generation == generation_) onExplained(e);
        },
        [this, name](const QString& message, bool cancelled) { onJobFailed(name, message, cancelled); });
}

void MainWindow::onExplained(const Explanation& e) {
    explanation_ = e;
    const QString id = QString::fromStdString(e.method);
    const QString name = ui_->methodPanel->displayName(id);
    const auto& labels = model_->config().labels;
    const QString target = e.target >= 0 && e.target < int64_t(labels.size()) ? QString::fromStdString(labels[size_t(e.target)]) : QString();
    explanationPlot()->setRelevance(e.relevance);
    explanationPlot()->setTitle(tr("%1  ·  %2 for class '%3'  (red: evidence for it, blue: against)")
                                    .arg(QFileInfo(clip_.path).fileName(), name, target));
    if (prediction_)
        probabilityPlot()->setProbabilities(prediction_->probabilities, int(prediction_->classIndex), int(e.target));
    timeLabel_->setText(tr("%1: %2 ms").arg(name).arg(e.elapsedMs, 0, 'f', e.elapsedMs < 10 ? 1 : 0));
    timeLabel_->setToolTip(e.conservation ? QString::fromStdString(conservationSummary(*e.conservation)) : QString());
    if (e.conservation) timeLabel_->setText(timeLabel_->text() + tr("  ·  Σ %1% off").arg(100 * e.conservation->relativeError(), 0, 'g', 2));
    emit explanationReady(id);
}

void MainWindow::compareChecked() { compare(ui_->methodPanel->comparedMethods()); }

void MainWindow::compare(const QStringList& methodIds) {
    comparisonRequested_ = methodIds;
    if (methodIds.isEmpty()) {
        statusBar()->showMessage(tr("Check the methods to compare in the method list first"), 5000);
        return;
    }
    if (!hasClip() || !model_) {  // runs as soon as a clip is open
        pendingCompare_ = true;
        return;
    }
    const quint64 generation = generation_;
    auto run = std::make_shared<ComparisonRun>();
    run->ids = methodIds;
    run->results.resize(size_t(methodIds.size()));
    auto finishOne = [this, run, generation] {
        if (++run->finished < run->ids.size() || generation != generation_) return;
        if (!run->errors.isEmpty()) showError(this, tr("Comparison incomplete"), run->errors.join(QLatin1Char('\n')));
        if (run->cancelled) return;
        std::vector<Explanation> done;
        for (auto& r : run->results)
            if (r) done.push_back(std::move(*r));
        if (!done.empty()) onCompared(std::move(done));
    };
    for (int i = 0; i < methodIds.size(); ++i) {
        const QString name = ui_->methodPanel->displayName(methodIds[i]);
        const QString label = tr("comparing %1/%2: %3").arg(i + 1).arg(methodIds.size()).arg(name);
        compute_->submit<Explanation>(
            label, explainJob(model_, clip_.samples, ui_->methodPanel->request(methodIds[i])),
            [run, i, finishOne](Explanation e) {
                run->results[size_t(i)] = std::move(e);
                finishOne();
            },
            [this, run, name, finishOne](const QString& message, bool cancelled) {
                if (cancelled && !run->cancelled) onJobFailed(tr("Comparison"), message, true);
                run->cancelled = run->cancelled || cancelled;
                if (!cancelled) run->errors << tr("%1: %2").arg(name, message);
                finishOne();
            });
    }
}

void MainWindow::onCompared(std::vector<Explanation> results) {
    comparison_ = std::move(results);
    showComparison();
    showComparisonTab(true);
    double total = 0;
    for (const Explanation& e : comparison_) total += e.elapsedMs;
    timeLabel_->setText(tr("comparison of %1 methods: %2 ms").arg(comparison_.size()).arg(total, 0, 'f', 0));
    emit comparisonReady();
}

void MainWindow::showComparison() {
    std::vector<views::RelevanceMap> maps;
    QStringList names;
    std::vector<std::vector<float>> relevances;
    for (const Explanation& e : comparison_) {
        const QString name = ui_->methodPanel->displayName(QString::fromStdString(e.method));
        maps.push_back({name, tr("%1 ms").arg(e.elapsedMs, 0, 'f', e.elapsedMs < 10 ? 1 : 0), e.relevance});
        names << name;
        relevances.push_back(e.relevance);
    }
    const auto& labels = model_->config().labels;
    const int64_t target = comparison_.empty() ? -1 : comparison_.front().target;
    comparisonPlot()->setTitle(tr("%1  ·  relevance for class '%2'  (red: for, blue: against)")
                                   .arg(QFileInfo(clip_.path).fileName(),
                                        target >= 0 && target < int64_t(labels.size()) ? QString::fromStdString(labels[size_t(target)]) : QString()));
    comparisonPlot()->setMaps(maps);
    comparisonPlot()->setTimeRange(explanationPlot()->timeRange());
    agreementPlot()->setMaps(names, relevances);
}

void MainWindow::cancelComputation() {
    if (!compute_->isBusy()) return;
    compute_->cancelAll();
    statusBar()->showMessage(tr("Cancelling…"));
}

void MainWindow::onJobFailed(const QString& what, const QString& message, bool cancelled) {
    if (cancelled) {
        statusBar()->showMessage(tr("%1 cancelled").arg(what), 5000);
        emit computationCancelled();
        return;
    }
    showError(this, tr("%1 failed").arg(what), message);
    emit computationFailed(message);
}

}  // namespace s4scope::app
