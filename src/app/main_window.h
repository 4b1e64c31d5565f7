#pragma once
// The s4scope main window: open or record a clip, classify it and explain it with any method on
// the worker thread, compare methods side by side, play, export, save and reopen sessions.
// Its public slots are what menus, toolbar and shortcuts call; tests drive the window through them.
#include <memory>
#include <optional>
#include <vector>

#include <QMainWindow>

#include "app/figure_export_dialog.h"
#include "app/session.h"
#include "s4scope/attribution.h"
#include "s4scope/explanation_io.h"
#include "s4scope/model.h"

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

class ComputeService;
class MethodPanel;
class ClipPlayer;
class RecentFiles;
class LiveWindow;

struct Clip {
    QString path;  // the audio file (a recording is saved to one first)
    double offsetSeconds = 0;
    std::vector<float> samples;  // model's sample rate and length
    int sampleRate = 16000;
};

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // `modelPath` empty: the bundled model (or, when none is shipped, a freshly initialised one).
    explicit MainWindow(const QString& modelPath = QString(), QWidget* parent = nullptr);
    ~MainWindow() override;

    // State, for the status bar, sessions and tests.
    std::shared_ptr<const Model> model() const { return model_; }
    QString modelPath() const { return modelPath_; }
    bool modelIsFallback() const { return modelIsFallback_; }
    const Clip& clip() const { return clip_; }
    bool hasClip() const { return !clip_.samples.empty(); }
    const std::optional<Prediction>& prediction() const { return prediction_; }
    const std::optional<Explanation>& explanation() const { return explanation_; }
    const std::vector<Explanation>& comparison() const { return comparison_; }
    bool isBusy() const;
    Session currentSession() const;

    MethodPanel* methodPanel() const;
    views::ExplanationPlot* explanationPlot() const;
    views::ComparisonPlot* comparisonPlot() const;
    views::AgreementPlot* agreementPlot() const;
    views::ProbabilityPlot* probabilityPlot() const;
    QProgressBar* progressBar() const { return progress_; }
    QToolButton* cancelButton() const { return cancelButton_; }
    LiveWindow* liveWindow() const { return live_; }  // null until live mode is first opened

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

signals:
    void modelReady();
    void clipReady();
    void predictionReady();
    void explanationReady(const QString& method);
    void comparisonReady();
    void computationCancelled();
    void computationFailed(const QString& message);
    void idle();  // no engine work pending

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
    void onModelLoaded(std::shared_ptr<const Model> model, const QString& path, bool fallback);
    void onClipLoaded(Clip clip);
    void applySession(const Session& session);
    // main_window_compute.cpp: the worker's jobs and their results
    void classify();
    void explain(const QString& methodId);
    void onExplained(const Explanation& e);
    void onCompared(std::vector<Explanation> results);
    void showComparison();
    void onJobFailed(const QString& what, const QString& message, bool cancelled);
    void onProgress(const QString& label, double fraction);
    void onBusyChanged(bool busy);
    void updateLiveModel();
    // main_window_export.cpp
    void chooseFigureExport();
    void chooseDataExport();
    void chooseComparisonDataExport();
    ExplanationRecord recordFor(const Explanation& e) const;

    std::unique_ptr<Ui::MainWindow> ui_;
    ComputeService* compute_;
    ClipPlayer* player_;
    RecentFiles* recent_;
    QLabel* modelLabel_;
    QLabel* clipLabel_;
    QLabel* timeLabel_;
    QProgressBar* progress_;
    QToolButton* cancelButton_;
    QTimer* progressDelay_;
    LiveWindow* live_ = nullptr;

    std::shared_ptr<const Model> model_;
    QString modelPath_;
    bool modelIsFallback_ = false;
    Clip clip_;
    std::optional<Prediction> prediction_;
    std::optional<Explanation> explanation_;
    std::vector<Explanation> comparison_;
    QStringList comparisonRequested_;
    quint64 generation_ = 0;  // bumps with every new clip or model: older results are dropped
    // Work waiting for the model (at start-up) or for the clip (when a session opens).
    std::optional<std::pair<QString, double>> pendingAudio_;
    bool pendingCompare_ = false;
};

}  // namespace s4scope::app
