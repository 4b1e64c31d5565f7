// MainWindow: figures (PNG, SVG, PDF) and data (CSV, JSON, NPY).
#include <QFileDialog>
#include <QFileInfo>
#include <QSettings>
#include <QStatusBar>

#include "app/data_export.h"
#include "app/error_dialog.h"
#include "app/main_window.h"
#include "app/method_panel.h"
#include "app/tf_panel.h"
#include "ui_main_window.h"
#include "views/agreement_plot.h"
#include "views/tf_relevance_plot.h"
#include "views/comparison_plot.h"
#include "views/explanation_plot.h"
#include "views/probability_plot.h"

namespace s4scope::app {
namespace {
const char* kDataFilter = "CSV table (*.csv);;JSON (*.json);;NumPy array (*.npy)";

QString withSuffixFromFilter(QString path, const QString& filter) {
    if (!QFileInfo(path).suffix().isEmpty()) return path;
    const int star = filter.indexOf(QLatin1String("*."));
    return path + filter.mid(star + 1, filter.indexOf(QLatin1Char(')'), star) - star - 1);
}
}  // namespace

ExplanationRecord MainWindow::recordFor(const Explanation& e) const {
    const Clip& clip = explorer_->clip();
    const Model& model = *explorer_->model();
    return ExplanationRecord{e, clip.samples, clip.sampleRate, model.config().labels, clip.path.toStdString(), model.source(),
                             clip.offsetSeconds};
}

bool MainWindow::exportFigure(FigureTarget target, const QString& path, const views::FigureOptions& options) {
    views::PlotWidget* plot = explanationPlot();
    if (target == FigureTarget::Comparison) plot = comparisonPlot();
    if (target == FigureTarget::Agreement) plot = agreementPlot();
    if (target == FigureTarget::Probabilities) plot = probabilityPlot();
    if (target == FigureTarget::TimeFrequency) plot = tfPanel()->plot();
    if ((target == FigureTarget::Comparison || target == FigureTarget::Agreement) && explorer_->comparison().empty()) {
        showError(this, tr("Cannot export the figure"), tr("There is no comparison yet: check methods and press Compare (F6)."));
        return false;
    }
    try {
        plot->exportFigure(path, options);
    } catch (const std::exception& e) {
        showError(this, tr("Cannot export the figure"), QString::fromUtf8(e.what()));
        return false;
    }
    statusBar()->showMessage(tr("Figure written to %1").arg(path), 5000);
    return true;
}

bool MainWindow::exportExplanationData(const QString& path) {
    const auto& explanation = explorer_->explanation();
    if (!explanation) {
        showError(this, tr("Cannot export data"), tr("Nothing is explained yet: choose a method and press Explain (F5)."));
        return false;
    }
    try {
        const QStringList written = s4scope::app::exportExplanationData(path, recordFor(*explanation));
        statusBar()->showMessage(tr("Wrote %1").arg(written.join(QStringLiteral(", "))), 5000);
    } catch (const std::exception& e) {
        showError(this, tr("Cannot export data"), QString::fromUtf8(e.what()));
        return false;
    }
    return true;
}

bool MainWindow::exportComparisonData(const QString& path) {
    ComparisonData data;
    for (const Explanation& e : explorer_->comparison()) {
        data.records.push_back(recordFor(e));
        data.names << ui_->methodPanel->displayName(QString::fromStdString(e.method));
    }
    data.stats = explorer_->comparisonStats();
    data.agreement = explorer_->agreement();
    QStringList written;
    try {
        written = s4scope::app::exportComparisonData(path, data);
    } catch (const std::exception& e) {
        showError(this, tr("Cannot export data"), QString::fromUtf8(e.what()));
        return false;
    }
    statusBar()->showMessage(tr("Wrote %1").arg(written.join(QStringLiteral(", "))), 5000);
    return true;
}

void MainWindow::chooseFigureExport() {
    const bool comparisonShown = ui_->viewTabs->currentWidget() == ui_->comparisonTab;
    const bool tfShown = ui_->viewTabs->currentWidget() == tfPanel_;
    FigureExportDialog dialog(tfShown ? FigureTarget::TimeFrequency : comparisonShown ? FigureTarget::Comparison : FigureTarget::Explanation, this,
                              explorer_->hasClip() ? dialogFolder(QString()) : QString());
    if (dialog.exec() == QDialog::Accepted) exportFigure(dialog.target(), dialog.path(), dialog.options());
}

void MainWindow::chooseDataExport() {
    QString filter;
    const QString folder = dialogFolder(QStringLiteral("paths/data"));
    QString path = QFileDialog::getSaveFileName(this, tr("Export explanation data"), folder, tr(kDataFilter), &filter);
    if (path.isEmpty()) return;
    path = withSuffixFromFilter(path, filter);
    QSettings().setValue(QStringLiteral("paths/data"), QFileInfo(path).absolutePath());
    exportExplanationData(path);
}

void MainWindow::chooseComparisonDataExport() {
    QString filter;
    const QString folder = dialogFolder(QStringLiteral("paths/data"));
    QString path = QFileDialog::getSaveFileName(this, tr("Export comparison data"), folder, tr(kDataFilter), &filter);
    if (path.isEmpty()) return;
    path = withSuffixFromFilter(path, filter);
    QSettings().setValue(QStringLiteral("paths/data"), QFileInfo(path).absolutePath());
    exportComparisonData(path);
}

}  // namespace s4scope::app
