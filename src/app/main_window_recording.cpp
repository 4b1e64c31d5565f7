// MainWindow: long files (DESIGN.md §9) — the overview and keyword timeline above the views, the
// analysed second moved by them, the offset field and the Audio menu, and the keyword scan.
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QVBoxLayout>

#include "app/error_dialog.h"
#include "app/main_window.h"
#include "app/recording_panel.h"
#include "app/scan_settings_dialog.h"
#include "ui_main_window.h"
#include "views/comparison_plot.h"
#include "views/explanation_plot.h"

namespace s4scope::app {

void MainWindow::setUpRecording() {
    // The panel sits above the tabs: both views show the second it marks.
    recordingPanel_ = new RecordingPanel(ui_->actionScan, this);
    auto* right = new QWidget(this);
    auto* column = new QVBoxLayout(right);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(2);
    ui_->mainSplitter->replaceWidget(1, right);
    column->addWidget(recordingPanel_);
    column->addWidget(ui_->viewTabs, 1);
    recordingPanel_->setEnabled(false);
    ui_->menuAudio->setToolTipsVisible(true);

    connect(recordingPanel_, &RecordingPanel::offsetRequested, this, &MainWindow::setOffset);
    connect(recordingPanel_->overview(), &views::OverviewStrip::columnsWanted, explorer_, &Explorer::requestOverview);
    connect(recordingPanel_->timeline(), &views::KeywordTimeline::detectionActivated, this, [this](int index) {
        const auto& scan = explorer_->scanResult();
        if (scan && index >= 0 && index < int(scan->detections.size())) setOffset(scan->detections[size_t(index)].peakStart);
    });
    connect(ui_->actionPreviousSecond, &QAction::triggered, this, [this] { setOffset(explorer_->clip().offsetSeconds - 0.1); });
    connect(ui_->actionNextSecond, &QAction::triggered, this, [this] { setOffset(explorer_->clip().offsetSeconds + 0.1); });
    connect(ui_->actionGoToOffset, &QAction::triggered, this, [this] {
        recordingPanel_->offsetField()->setFocus(Qt::ShortcutFocusReason);
        recordingPanel_->offsetField()->selectAll();
    });
    connect(ui_->actionScan, &QAction::triggered, this, &MainWindow::scanRecording);
    connect(ui_->actionExportScan, &QAction::triggered, this, &MainWindow::chooseScanExport);
    auto* scanSettings = new QAction(tr("Scan se&ttings…"), this);
    scanSettings->setObjectName(QStringLiteral("actionScanSettings"));
    scanSettings->setToolTip(tr("Threshold, hop, minimum run, speech gate and largest overlap of the keyword scan"));
    ui_->menuAudio->insertAction(ui_->actionExportScan, scanSettings);
    connect(scanSettings, &QAction::triggered, this, &MainWindow::chooseScanSettings);
    ui_->actionExportScan->setEnabled(false);

    connect(explorer_, &Explorer::recordingReady, this, &MainWindow::onRecordingReady);
    connect(explorer_, &Explorer::overviewReady, this, [this] { recordingPanel_->overview()->setEnvelope(explorer_->overview()); });
    connect(explorer_, &Explorer::scanReady, this, &MainWindow::onScanReady);
    connect(explorer_, &Explorer::scanStarted, this, [this] {
        ui_->actionScan->setText(tr("Stop &scanning"));
        statusBar()->showMessage(tr("Scanning %1 for keywords…").arg(QFileInfo(explorer_->recording().path).fileName()));
    });
    connect(explorer_, &Explorer::scanFinished, this, [this] { ui_->actionScan->setText(tr("&Scan for keywords")); });
    connect(explorer_, &Explorer::clipReady, this, [this] {
        const Clip& clip = explorer_->clip();
        recordingPanel_->setOffset(clip.offsetSeconds);
        explanationPlot()->setTimeOrigin(clip.offsetSeconds);
        comparisonPlot()->setTimeOrigin(clip.offsetSeconds);
    });
}

void MainWindow::onRecordingReady() {
    const Recording& r = explorer_->recording();
    recordingPanel_->setEnabled(true);
    recordingPanel_->timeline()->setClassCount(explorer_->model() ? int(explorer_->model()->config().labels.size()) : 10);
    recordingPanel_->setRecording(QFileInfo(r.path).fileName(), r.duration, explorer_->windowSeconds(), explorer_->maximumOffset());
    recordingPanel_->setWarning(r.warning);
    if (explorer_->hasClip()) recordingPanel_->setOffset(explorer_->clip().offsetSeconds);
    ui_->actionExportScan->setEnabled(false);
    if (!r.warning.isEmpty())
        statusBar()->showMessage(tr("%1: %2").arg(QFileInfo(r.path).fileName(), r.warning), 15000);
    else if (r.duration > explorer_->windowSeconds() + 0.05)
        statusBar()->showMessage(tr("%1 is %2 s long: move the analysed second in the overview (drag, arrow keys) or the "
                                    "offset field; Ctrl+K scans the whole file for keywords")
                                     .arg(QFileInfo(r.path).fileName())
                                     .arg(r.duration, 0, 'f', 1),
                                 10000);
}

void MainWindow::onScanReady() {
    const auto& scan = explorer_->scanResult();
    std::vector<views::TimelineDetection> detections;
    if (scan)
        for (const Detection& d : scan->detections)
            detections.push_back({d.start, d.end, d.peakStart, int(d.classIndex), QString::fromStdString(d.label), d.peakProbability});
    recordingPanel_->timeline()->setDetections(std::move(detections), bool(scan));
    ui_->actionExportScan->setEnabled(bool(scan));
    if (scan)
        statusBar()->showMessage(tr("Scan: %n keyword(s) found in %1 s (%2 windows)", nullptr, int(scan->detections.size()))
                                     .arg(scan->duration, 0, 'f', 1)
                                     .arg(scan->windows.size()),
                                 8000);
}

void MainWindow::setOffset(double seconds) { explorer_->setOffset(seconds); }

void MainWindow::scanRecording() {
    if (explorer_->isScanning()) return explorer_->cancelScan();
    if (!explorer_->scan(savedScanOptions()))
        statusBar()->showMessage(tr("Open a recording first (Ctrl+O)"), 5000);
}

void MainWindow::chooseScanSettings() {
    ScanSettingsDialog dialog(savedScanOptions(), this);
    if (dialog.exec() != QDialog::Accepted) return;
    saveScanOptions(dialog.options());
    // A scan running with the old settings is replaced by the new one.
    if (!explorer_->scan(dialog.options())) statusBar()->showMessage(tr("Open a recording first (Ctrl+O)"), 5000);
}

bool MainWindow::exportScan(const QString& path) {
    try {
        explorer_->exportScan(path);
    } catch (const std::exception& e) {
        showError(this, tr("Cannot export the scan"), QString::fromUtf8(e.what()));
        return false;
    }
    statusBar()->showMessage(tr("Scan written to %1").arg(path), 5000);
    return true;
}

void MainWindow::chooseScanExport() {
    const QString base = QFileInfo(explorer_->recording().path).completeBaseName() + QStringLiteral("-keywords.csv");
    QString filter;
    QString path = QFileDialog::getSaveFileName(this, tr("Export the keyword scan"),
                                                QDir(dialogFolder(QStringLiteral("paths/data"))).filePath(base),
                                                tr("CSV: detections (*.csv);;JSON: detections and windows (*.json)"), &filter);
    if (path.isEmpty()) return;
    if (QFileInfo(path).suffix().isEmpty()) path += filter.contains(QLatin1String("json")) ? QStringLiteral(".json") : QStringLiteral(".csv");
    QSettings().setValue(QStringLiteral("paths/data"), QFileInfo(path).absolutePath());
    exportScan(path);
}

QString MainWindow::clipTitle() const {
    const Clip& clip = explorer_->clip();
    return views::clipTimeTitle(QFileInfo(clip.path).fileName(), clip.offsetSeconds, explorer_->windowSeconds());
}

QString MainWindow::dialogFolder(const QString& key) const {
    if (explorer_->hasClip()) {
        const QString folder = QFileInfo(explorer_->clip().path).absolutePath();
        if (QDir(folder).exists()) return folder;
    }
    return QSettings().value(key, QDir::homePath()).toString();
}

}  // namespace s4scope::app
