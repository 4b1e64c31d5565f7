#pragma once
// The s4scope main window: menus, panels and views around the explorer document (explorer.h),
// which owns the model, the clip and the results and runs the work on its worker thread. The
// window forwards what the user asks for to the document and shows what the document announces.
// Its public slots are what menus, toolbar and shortcuts call; tests drive the window through them.
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include <QMainWindow>

#include "app/explorer.h"
#include "app/figure_export_dialog.h"
#include "app/session.h"
#include "s4scope/explanation_io.h"

namespace Ui {
class MainWindow;
}
class QLabel;
class QProgressBar;
class QToolButton;
class QTimer;

namespace s4scope::views {
class ExplanationPlot;
class ComparisonPlot;
class AgreementPlot;
class ProbabilityPlot;
}  // namespace s4scope::views

namespace s4scope::app {

class MethodPanel;
class ClipPlayer;
class RecentFiles;
class LiveWindow;
class RecordingPanel;
class TfPanel;
class EvaluatePanel;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // `modelPath` empty: the bundled model (or, when none is shipped, a freshly initialised one).
    explicit MainWindow(const QString& modelPath = QString(), QWidget* parent = nullptr);
    ~MainWindow() override;

    // The document: model, clip, prediction, explanation, comparison, and whether work is pending.
    Explorer* explorer() const { return explorer_; }
    Session currentSession() const;

    MethodPanel* methodPanel() const;
    views::ExplanationPlot* explanationPlot() const;
    views::ComparisonPlot* comparisonPlot() const;
    views::AgreementPlot* agreementPlot() const;
    views::ProbabilityPlot* probabilityPlot() const;
    QProgressBar* progressBar() const { return progress_; }
    QToolButton* cancelButton() const { return cancelButton_; }
    LiveWindow* liveWindow() const { return live_; }  // null until live mode is first opened
    RecordingPanel* recordingPanel() const { return recordingPanel_; }
    TfPanel* tfPanel() const { return tfPanel_; }  // the time–frequency tab (issue 17)
    EvaluatePanel* evaluatePanel() const { return evaluatePanel_; }  // the Evaluate tab (issue 18)

public slots:
    void openAudio(const QString& path, double offsetSeconds = 0);
    void openModel(const QString& path);  // empty: the bundled model
    void openSession(const QString& path);
    bool saveSession(const QString& path);
    void explainCurrent();
    void compare(const QStringList& methodIds);
    void compareChecked();
    void cancelComputation();
    // Throw nothing: failures are error dialogs. Return whether the files were written.
    bool exportFigure(FigureTarget target, const QString& path, const views::FigureOptions& options);
    bool exportExplanationData(const QString& path);
    bool exportComparisonData(const QString& path);
    void togglePlayback();
    void showComparisonTab(bool comparison);
    // Live mode (main_window_live.cpp): opens the live window; a frozen second opens as a clip.
    void showLive();
    void openSamples(const std::vector<float>& samples, int sampleRate, const QString& name);
    // Long files (main_window_recording.cpp): the analysed second, the keyword scan and its export.
    void setOffset(double seconds);
    void scanRecording();  // starts a scan (with the saved scan settings), or stops the one running
    void chooseScanSettings();  // Audio > Scan settings: edits, saves, and scans with them
    bool exportScan(const QString& path);

protected:
    void closeEvent(QCloseEvent* event) override;
    void changeEvent(QEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    // main_window.cpp: construction, wiring, status bar
    void setUpActions();
    void setUpStatusBar();
    // main_window_settings.cpp
    void restoreSettings();
    void saveSettings() const;
    void updateStatus();
    void updateIcons();
    void setSpectrogramMap(const QString& name);
    void setDarkTheme(bool dark);
    void showShortcuts();
    void showAbout();
    // main_window_files.cpp: clips, models, sessions, recording
    void chooseAudio();
    void chooseModel();
    void chooseSession();
    void chooseSessionToSave();
    void record();
    void openDropped(const QString& path);
    void applySession(const Session& session);
    // main_window_compute.cpp: wiring the document to the views, and showing its results
    void connectExplorer();
    ExplorerRequests requestsFromPanel() const;
    void onModelReady();
    void onClipReady();
    void onPrediction();
    void onExplained();
    void onCompared();
    void showComparison();
    void onFailed(Explorer::Stage stage, const QString& what, const QString& message);
    void onCancelled(Explorer::Stage stage, const QString& what);
    void onProgress(const QString& label, double fraction);
    void onBusyChanged(bool busy);
    void updateLiveModel();
    // main_window_recording.cpp
    void setUpRecording();
    void onRecordingReady();
    void onScanReady();
    void chooseScanExport();
    QString clipTitle() const;  // "yes.wav (1.00–2.00 s)": the file and the analysed second's file time
    // Where file dialogs open: the current clip's folder, else the one remembered under `key`.
    QString dialogFolder(const QString& key) const;
    // main_window_export.cpp
    void chooseFigureExport();
    void chooseDataExport();
    void chooseComparisonDataExport();
    ExplanationRecord recordFor(const Explanation& e) const;

    std::unique_ptr<Ui::MainWindow> ui_;
    Explorer* explorer_;
    ClipPlayer* player_;
    RecentFiles* recent_;
    QLabel* modelLabel_;
    QLabel* clipLabel_;
    QLabel* timeLabel_;
    QProgressBar* progress_;
    QToolButton* cancelButton_;
    QTimer* progressDelay_;
    LiveWindow* live_ = nullptr;
    RecordingPanel* recordingPanel_ = nullptr;
    TfPanel* tfPanel_ = nullptr;
    // main_window_evaluate.cpp: the Evaluate tab and the word's interval (file time, seconds)
    void setUpEvaluation();
    void onClipForEvaluation();
    void expectSessionWord(std::optional<std::pair<double, double>> seconds);
    EvaluatePanel* evaluatePanel_ = nullptr;
    std::optional<std::pair<double, double>> wordSeconds_;  // of the file wordFile_
    QString wordFile_;
    QString wordSource_;
    bool sessionWordPending_ = false;
    std::optional<std::pair<double, double>> sessionWord_;
    bool showingWord_ = false;
};

}  // namespace s4scope::app
