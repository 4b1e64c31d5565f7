#include "app/main_window.h"

#include <algorithm>

#include <QActionGroup>
#include <QCloseEvent>
#include <QDragEnterEvent>
#include <QFileInfo>
#include <QLabel>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QStyle>
#include <QTimer>
#include <QToolButton>

#include "app/action_icons.h"
#include "app/app_theme.h"
#include "app/clip_player.h"
#include "app/method_panel.h"
#include "app/recent_files.h"
#include "app/resources_path.h"
#include "app/tf_panel.h"
#include "ui_main_window.h"
#include "views/agreement_plot.h"
#include "views/comparison_plot.h"
#include "views/explanation_plot.h"
#include "views/probability_plot.h"

namespace s4scope::app {

MainWindow::MainWindow(const QString& modelPath, QWidget* parent)
    : QMainWindow(parent), ui_(std::make_unique<Ui::MainWindow>()) {
    ui_->setupUi(this);
    explorer_ = new Explorer(this);
    player_ = new ClipPlayer(this);
    recent_ = new RecentFiles(ui_->menuRecent, this);
    // Issue 17: relevance in time and frequency and the listening controls, a tab of their own.
    tfPanel_ = new TfPanel(this);
    ui_->viewTabs->addTab(tfPanel_, tr("Time–frequency"));
    connect(tfPanel_, &TfPanel::statusMessage, this, [this](const QString& m) { statusBar()->showMessage(m, 4000); });
    connect(tfPanel_, &TfPanel::failed, this, [this](const QString& m) { statusBar()->showMessage(tr("Time–frequency: %1").arg(m), 8000); });
    setUpEvaluation();  // issue 18: the Evaluate tab
    setUpActions();
    setUpRecording();
    setUpStatusBar();
    restoreSettings();
    connectExplorer();
    updateStatus();
    openModel(modelPath);
}

MainWindow::~MainWindow() = default;

MethodPanel* MainWindow::methodPanel() const { return ui_->methodPanel; }
views::ExplanationPlot* MainWindow::explanationPlot() const { return ui_->explanationPlot; }
views::ComparisonPlot* MainWindow::comparisonPlot() const { return ui_->comparisonPlot; }
views::AgreementPlot* MainWindow::agreementPlot() const { return ui_->agreementPlot; }
views::ProbabilityPlot* MainWindow::probabilityPlot() const { return ui_->probabilityPlot; }

void MainWindow::setUpActions() {
    updateIcons();
    ui_->actionCancel->setEnabled(false);
    for (QMenu* menu : {ui_->menuFile, ui_->menuExplain, ui_->menuAudio, ui_->menuView, ui_->menuHelp, ui_->menuSamples})
        menu->setToolTipsVisible(true);

    connect(ui_->actionOpenAudio, &QAction::triggered, this, &MainWindow::chooseAudio);
    connect(ui_->actionRecord, &QAction::triggered, this, &MainWindow::record);
    connect(ui_->actionLive, &QAction::triggered, this, &MainWindow::showLive);
    connect(ui_->actionOpenModel, &QAction::triggered, this, &MainWindow::chooseModel);
    connect(ui_->actionBundledModel, &QAction::triggered, this, [this] { openModel(QString()); });
    connect(ui_->actionOpenSession, &QAction::triggered, this, &MainWindow::chooseSession);
    connect(ui_->actionSaveSession, &QAction::triggered, this, &MainWindow::chooseSessionToSave);
    connect(ui_->actionExportFigure, &QAction::triggered, this, &MainWindow::chooseFigureExport);
    connect(ui_->actionExportData, &QAction::triggered, this, &MainWindow::chooseDataExport);
    connect(ui_->actionExportComparisonData, &QAction::triggered, this, &MainWindow::chooseComparisonDataExport);
    connect(ui_->actionQuit, &QAction::triggered, this, &QWidget::close);
    connect(ui_->actionExplain, &QAction::triggered, this, &MainWindow::explainCurrent);
    connect(ui_->actionCompare, &QAction::triggered, this, &MainWindow::compareChecked);
    connect(ui_->actionCancel, &QAction::triggered, this, &MainWindow::cancelComputation);
    connect(ui_->actionPlay, &QAction::triggered, this, &MainWindow::togglePlayback);
    connect(ui_->actionZoomIn, &QAction::triggered, this, [this] { explanationPlot()->zoomBy(0.5); });
    connect(ui_->actionZoomOut, &QAction::triggered, this, [this] { explanationPlot()->zoomBy(2.0); });
    connect(ui_->actionResetZoom, &QAction::triggered, this, [this] { explanationPlot()->resetZoom(); });
    connect(ui_->actionShowExplanation, &QAction::triggered, this, [this] { showComparisonTab(false); });
    connect(ui_->actionShowComparison, &QAction::triggered, this, [this] { showComparisonTab(true); });
    connect(ui_->actionDarkTheme, &QAction::toggled, this, &MainWindow::setDarkTheme);
    connect(ui_->actionShortcuts, &QAction::triggered, this, &MainWindow::showShortcuts);
    connect(ui_->actionAbout, &QAction::triggered, this, &MainWindow::showAbout);
    connect(recent_, &RecentFiles::chosen, this, &MainWindow::openDropped);

    auto* maps = new QActionGroup(this);
    for (QAction* a : {ui_->actionMagma, ui_->actionViridis}) maps->addAction(a);
    connect(ui_->actionMagma, &QAction::triggered, this, [this] { setSpectrogramMap(QStringLiteral("magma")); });
    connect(ui_->actionViridis, &QAction::triggered, this, [this] { setSpectrogramMap(QStringLiteral("viridis")); });

    for (const QString& clip : sampleClips()) {
        QAction* action = ui_->menuSamples->addAction(QFileInfo(clip).completeBaseName());
        action->setToolTip(tr("Open the bundled clip %1 (synthesised speech)").arg(QFileInfo(clip).fileName()));
        connect(action, &QAction::triggered, this, [this, clip] { openAudio(clip); });
    }
    if (ui_->menuSamples->isEmpty()) ui_->menuSamples->addAction(tr("(no sample clips found)"))->setEnabled(false);
    // The toolbar offers the sample clips as a drop-down too: the quickest way to a first picture.
    auto* samples = new QToolButton(this);
    samples->setText(tr("Samples"));
    samples->setToolTip(tr("Open one of the bundled keyword clips"));
    samples->setIcon(style()->standardIcon(QStyle::SP_DirIcon));
    samples->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    samples->setMenu(ui_->menuSamples);
    samples->setPopupMode(QToolButton::InstantPopup);
    ui_->mainToolBar->insertWidget(ui_->actionRecord, samples);

    MethodPanel* panel = ui_->methodPanel;
    connect(panel, &MethodPanel::explainRequested, this, &MainWindow::explainCurrent);
    connect(panel, &MethodPanel::compareRequested, this, &MainWindow::compareChecked);

    // One time axis: zooming either view zooms the other.
    connect(explanationPlot(), &views::ExplanationPlot::timeRangeChanged, comparisonPlot(), &views::ComparisonPlot::setTimeRange);
    connect(comparisonPlot(), &views::ComparisonPlot::timeRangeChanged, explanationPlot(), &views::ExplanationPlot::setTimeRange);
    auto showReadout = [this](const QString& text) {
        if (text.isEmpty()) statusBar()->clearMessage();
        else statusBar()->showMessage(text);
    };
    connect(explanationPlot(), &views::ExplanationPlot::readoutChanged, this, showReadout);
    connect(comparisonPlot(), &views::ComparisonPlot::readoutChanged, this, showReadout);
    connect(ui_->sharedScaleCheck, &QCheckBox::toggled, comparisonPlot(), &views::ComparisonPlot::setSharedScale);
    connect(ui_->correlationCombo, qOverload<int>(&QComboBox::currentIndexChanged), this,
            [this](int index) { agreementPlot()->setCorrelation(views::Correlation(std::clamp(index, 0, 2))); });
    connect(ui_->agreementScaleCombo, qOverload<int>(&QComboBox::currentIndexChanged), agreementPlot(),
            &views::AgreementPlot::setScale);
    connect(ui_->clusterOrderCheck, &QCheckBox::toggled, agreementPlot(), &views::AgreementPlot::setClustered);
    connect(player_, &ClipPlayer::positionChanged, explanationPlot(), &views::ExplanationPlot::setPlayhead);
    connect(player_, &ClipPlayer::positionChanged, comparisonPlot(), &views::ComparisonPlot::setPlayhead);
    connect(player_, &ClipPlayer::stopped, this, [this] {
        explanationPlot()->setPlayhead(-1);
        comparisonPlot()->setPlayhead(-1);
    });

    ui_->mainSplitter->setStretchFactor(0, 0);
    ui_->mainSplitter->setStretchFactor(1, 1);
    ui_->mainSplitter->setSizes({300, 1180});
    ui_->explanationSplitter->setSizes({640, 210});
    ui_->comparisonSplitter->setStretchFactor(0, 2);
    ui_->comparisonSplitter->setStretchFactor(1, 1);
    ui_->comparisonSplitter->setSizes({780, 420});
}

void MainWindow::setUpStatusBar() {
    modelLabel_ = new QLabel(this);
    clipLabel_ = new QLabel(this);
    timeLabel_ = new QLabel(this);
    clipLabel_->setToolTip(tr("The clip and the classifier's prediction"));
    timeLabel_->setToolTip(tr("The last computation: method and the engine's compute time"));
    progress_ = new QProgressBar(this);
    progress_->setMaximumWidth(260);
    progress_->setToolTip(tr("Progress of the running computation"));
    cancelButton_ = new QToolButton(this);
    cancelButton_->setDefaultAction(ui_->actionCancel);
    cancelButton_->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    for (QWidget* w : {static_cast<QWidget*>(progress_), static_cast<QWidget*>(cancelButton_)}) {
        statusBar()->addPermanentWidget(w);
        w->hide();
    }
    for (QLabel* l : {clipLabel_, timeLabel_, modelLabel_}) statusBar()->addPermanentWidget(l);
    // Quick jobs finish before the bar would appear: only long ones show it, without flicker.
    progressDelay_ = new QTimer(this);
    progressDelay_->setSingleShot(true);
    progressDelay_->setInterval(150);
    connect(progressDelay_, &QTimer::timeout, this, [this] {
        progress_->show();
        cancelButton_->show();
    });
}

void MainWindow::updateStatus() {
    const auto& model = explorer_->model();
    const Clip& clip = explorer_->clip();
    const auto& prediction = explorer_->prediction();
    if (!model) {
        modelLabel_->setText(tr("model: loading…"));
    } else if (explorer_->modelIsFallback()) {
        modelLabel_->setText(tr("model: untrained (no bundled model yet)"));
        modelLabel_->setToolTip(tr("No trained model is shipped in resources/models yet: a freshly initialised "
                                   "model (seed 0) is used, so its predictions are meaningless"));
    } else {
        modelLabel_->setText(tr("model: %1").arg(QFileInfo(QString::fromStdString(model->source())).fileName()));
        modelLabel_->setToolTip(tr("%1\n%2 parameters")
                                    .arg(QString::fromStdString(model->source()))
                                    .arg(model->config().parameterCount()));
    }
    const bool hasClip = explorer_->hasClip();
    QString clipText = hasClip ? tr("clip: %1").arg(clipTitle()) : tr("no clip");
    if (prediction)
        clipText += tr(" → %1 (%2 %)").arg(QString::fromStdString(prediction->label)).arg(100.0 * prediction->probability, 0, 'f', 0);
    clipLabel_->setText(clipText);
    setWindowTitle(hasClip ? tr("%1 — s4scope").arg(clipTitle()) : tr("s4scope"));
}

void MainWindow::updateIcons() {
    QStyle* s = style();
    const QColor ink = palette().color(QPalette::ButtonText);
    ui_->actionOpenAudio->setIcon(s->standardIcon(QStyle::SP_DialogOpenButton));
    ui_->actionExportFigure->setIcon(s->standardIcon(QStyle::SP_DialogSaveButton));
    ui_->actionRecord->setIcon(actionIcon(ActionGlyph::Record, ink));
    ui_->actionPlay->setIcon(actionIcon(ActionGlyph::Play, ink));
    ui_->actionExplain->setIcon(actionIcon(ActionGlyph::Explain, ink));
    ui_->actionCompare->setIcon(actionIcon(ActionGlyph::Compare, ink));
    ui_->actionCancel->setIcon(actionIcon(ActionGlyph::Cancel, ink));
}

void MainWindow::changeEvent(QEvent* event) {
    QMainWindow::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) updateIcons();
}

void MainWindow::setSpectrogramMap(const QString& name) {
    explanationPlot()->setSpectrogramMap(views::spectrogramMapFromName(name));
}

void MainWindow::setDarkTheme(bool dark) { applyAppTheme(dark); }

void MainWindow::showComparisonTab(bool comparison) {
    ui_->viewTabs->setCurrentWidget(comparison ? ui_->comparisonTab : ui_->explanationTab);
}

void MainWindow::togglePlayback() {
    QString error;
    if (!player_->toggle(&error)) statusBar()->showMessage(tr("Cannot play: %1").arg(error), 5000);
}

void MainWindow::onBusyChanged(bool busy) {
    ui_->actionCancel->setEnabled(busy);
    if (busy) {
        progressDelay_->start();
        return;
    }
    progressDelay_->stop();
    progress_->hide();
    cancelButton_->hide();
}

void MainWindow::onProgress(const QString& label, double fraction) {
    if (fraction < 0) {
        // Started; multi-pass methods report fractions from here on. Not the busy indicator
        // (range 0..0): most styles draw no text on it, and the label says what is running.
        progress_->setRange(0, 1000);
        progress_->setValue(0);
        progress_->setFormat(label);
    } else {
        progress_->setRange(0, 1000);
        progress_->setValue(int(1000 * fraction));
        progress_->setFormat(label + QStringLiteral("  %p%"));
    }
    progress_->setTextVisible(true);
}

void MainWindow::showShortcuts() {
    QString rows;
    for (QAction* a : findChildren<QAction*>()) {
        if (a->shortcut().isEmpty()) continue;
        rows += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
                    .arg(a->shortcut().toString(QKeySequence::NativeText).toHtmlEscaped(), a->text().remove(QLatin1Char('&')));
    }
    rows += tr("<tr><td><b>wheel / drag</b></td><td>zoom / pan the time axis of any plot</td></tr>"
               "<tr><td><b>double-click</b></td><td>show the whole clip</td></tr>");
    auto* box = new QMessageBox(QMessageBox::Information, tr("Keyboard shortcuts"),
                                QStringLiteral("<table cellspacing=6>%1</table>").arg(rows), QMessageBox::Close, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::showAbout() {
    QMessageBox::about(this, tr("About s4scope"),
                       tr("<b>s4scope</b> %1<br>Attributions of an S4 keyword classifier, drawn over the waveform "
                          "and the spectrogram.<br>Relevance: red speaks for the target class, blue against it.")
                           .arg(QCoreApplication::applicationVersion()));
}

void MainWindow::closeEvent(QCloseEvent* event) {
    player_->stop();
    explorer_->cancel();
    saveSettings();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls() && event->mimeData()->urls().first().isLocalFile()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.isEmpty() || !urls.first().isLocalFile()) return;
    openDropped(urls.first().toLocalFile());
    event->acceptProposedAction();
}

}  // namespace s4scope::app
