#pragma once
// The explorer document: the model, the clip, its prediction, explanation and comparison, and the
// sequence that produces them — load the model, load the clip (and its spectrogram), classify,
// explain, compare — run on the worker thread. Every result is tagged with the generation it was
// asked for: a new clip or model starts a new generation and whatever arrives for an older one is
// dropped. The document knows no widgets: the main window shows what its signals announce, and
// tests drive it alone.
#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include <QObject>
#include <QString>
#include <QStringList>

#include "app/clip_spectrogram.h"
#include "app/session.h"
#include "signal/correlation.h"
#include "signal/envelope.h"
#include "signal/relevance_pooling.h"
#include "signal/tf_comparison.h"
#include "s4scope/attribution.h"
#include "s4scope/model.h"
#include "s4scope/scan.h"

namespace s4scope::app {

class ComputeService;

// The whole file the clip is cut from (DESIGN.md §9): every sample at the model's rate, for the
// overview and the keyword scan. Shared, never copied: an hour at 16 kHz is 230 MB.
struct Recording {
    QString path;  // absolute; empty: none loaded yet
    std::shared_ptr<const std::vector<float>> samples;
    int sampleRate = 16000;
    double duration = 0;  // seconds
    QString warning;      // e.g. a truncated WAV; empty: none
};

// What the worker computes over a finished comparison, so that the views only draw.
struct ComparisonSummary {
    signal::Agreement agreement;
    std::vector<signal::RelevanceStats> stats;
    signal::TfComparison tf;  // R[f,t] per method and the colour ranges; empty unless asked for
};

struct Clip {
    QString path;  // the audio file (a recording is saved to one first)
    double offsetSeconds = 0;  // where the analysed second begins in the file (its time axis's origin)
    std::vector<float> samples;  // model's sample rate and length
    int sampleRate = 16000;
    Spectrogram spectrogram;  // of `samples`, computed on the worker with them
};

// What the document asks its owner at the moment it needs to know, so that parameters edited
// while a clip or model loads still count. Unset members mean: the method's defaults, the
// predicted class, nothing explained on load, no comparison kept for a new clip.
struct ExplorerRequests {
    std::function<ExplainRequest(const QString& methodId)> forMethod;
    std::function<QString()> explainOnLoad;  // the method explained once a clip arrives; empty: none
    std::function<bool()> keepComparison;    // recompute the comparison for a new clip (it is on screen)
};

class Explorer : public QObject {
    Q_OBJECT
public:
    // Which step of the sequence a failure or cancellation belongs to.
    enum class Stage { Model, Clip, Classify, Explain, Compare, Scan };
    Q_ENUM(Stage)

    explicit Explorer(QObject* parent = nullptr);
    ~Explorer() override;  // cancels what is pending and joins the worker

    void setRequests(ExplorerRequests requests);

    std::shared_ptr<const Model> model() const { return model_; }
    QString modelPath() const { return modelPath_; }  // as opened; empty: the bundled model
    bool modelIsFallback() const { return modelIsFallback_; }  // no model is bundled: a random one
    const Clip& clip() const { return clip_; }
    bool hasClip() const { return !clip_.samples.empty(); }
    const std::optional<Prediction>& prediction() const { return prediction_; }
    const std::optional<Explanation>& explanation() const { return explanation_; }
    const std::vector<Explanation>& comparison() const { return comparison_; }
    // The comparison's agreement matrices (Pearson and Spearman), computed on the worker with it.
    const signal::Agreement& agreement() const { return agreement_; }
    // Per compared method, in comparison() order: its true max |R| and ΣR (computed on the worker).
    const std::vector<signal::RelevanceStats>& comparisonStats() const { return comparisonStats_; }
    QStringList comparedMethods() const { return comparedMethods_; }  // of the last comparison asked for
    // Time–frequency relevance of each compared method (DESIGN.md §8) with its colour ranges, in
    // comparison() order, computed on the worker while setComparisonTimeFrequency(true) holds; empty
    // otherwise (or while it is computed).
    const signal::TfComparison& comparisonTf() const { return comparisonTf_; }
    bool comparisonTimeFrequency() const { return wantComparisonTf_; }
    quint64 generation() const { return generation_; }  // bumps with every new clip or model
    bool isBusy() const;

    // The clip, offset and model of a session (the window adds what its panels show).
    Session session() const;

    // The file the clip is cut from, its overview (min/max per column) and its last keyword scan.
    const Recording& recording() const { return recording_; }
    bool hasRecording() const { return bool(recording_.samples); }
    const signal::Envelope& overview() const { return overview_; }
    const std::optional<ScanResult>& scanResult() const { return scan_; }
    const ScanOptions& scanOptions() const { return scanOptions_; }
    bool isScanning() const;
    // The latest offset the analysed second may start at: the file's end minus the model's second
    // (0 for a file no longer than a second).
    double maximumOffset() const;
    double windowSeconds() const;  // the model's second: seq_len / sample rate

public slots:
    // Empty: the bundled model (or, when none is shipped, a freshly initialised one). A clip that is
    // open is loaded again for the new model; a clip asked for before any model waits for it.
    void openModel(const QString& path);
    // A file already open is not read again: only the second at `offsetSeconds` is (moving the window).
    void openAudio(const QString& path, double offsetSeconds = 0);
    // Analyses the second at `seconds` of the open file (clamped to 0 .. maximumOffset()).
    void setOffset(double seconds);
    // The overview at `columns` columns, computed on the worker; overviewReady announces it.
    void requestOverview(int columns);
    // Classifies the whole file with a sliding window (DESIGN.md §9) on its own worker, with
    // progress and cancel; scanReady announces the detections. Before the model or the file are
    // ready, runs once they are. Returns false when no clip is open or asked for.
    bool scan(const ScanOptions& options = {});
    void cancelScan();
    // The scan as CSV (detections) or JSON (detections and windows). Throws s4scope::Error.
    void exportScan(const QString& path) const;
    // Opens the session's model (unless it is the one in use), then its clip, then compares its methods.
    void openSession(const Session& session);
    // Returns false (and does nothing) when there is no clip or model yet.
    bool explain(const QString& methodId);
    // Returns false when `methodIds` is empty. Without a clip it runs as soon as one is classified.
    bool compare(const QStringList& methodIds);
    // Whether comparisons come with their time–frequency relevance. Turned on with a comparison
    // already there, computes it for that one (on the worker); comparisonTfReady announces it.
    void setComparisonTimeFrequency(bool on);
    void cancel();  // every pending job: the running one stops at its next check

signals:
    void modelLoading();
    void modelReady();
    void clipReady();
    void predictionReady();
    void explanationReady(const QString& method);
    void comparisonReady();
    void comparisonTfReady();  // comparisonTf() now belongs to comparison() (asked for after it)
    // `what` names the job (a method's name, "Classifying", "Comparison"). A comparison whose
    // methods partly failed reports them all in one message (the others still arrive).
    void failed(s4scope::app::Explorer::Stage stage, const QString& what, const QString& message);
    void cancelled(s4scope::app::Explorer::Stage stage, const QString& what);
    void progress(const QString& label, double fraction);  // fraction < 0: started, unknown
    void busyChanged(bool busy);
    void idle();  // no engine work pending
    // The whole file: loaded (its overview follows), then its overview at the columns asked for.
    void recordingReady();
    void overviewReady();
    void scanStarted();
    void scanReady();
    void scanFinished();  // done, failed or cancelled: no scan running any more

private:
    void onModelLoaded(std::shared_ptr<const Model> model, const QString& path, bool fallback);
    void onClipLoaded(Clip clip);
    void classify();
    ExplainRequest requestFor(const QString& methodId) const;
    void runComparison(const QStringList& methodIds);
    void computeComparisonTf();
    void openPendingAudio();
    void loadRecording(const QString& path);
    void onRecordingLoaded(Recording recording, signal::Envelope overview);
    void runScan();
    void updateBusy();

    ComputeService* compute_;
    ComputeService* recordingCompute_;  // reading whole files and their overviews
    ComputeService* scanCompute_;       // keyword scans: long, so on a worker of their own
    ExplorerRequests requests_;

    std::shared_ptr<const Model> model_;
    QString modelPath_;
    bool modelIsFallback_ = false;
    Clip clip_;
    std::optional<Prediction> prediction_;
    std::optional<Explanation> explanation_;
    std::vector<Explanation> comparison_;
    signal::Agreement agreement_;
    std::vector<signal::RelevanceStats> comparisonStats_;
    signal::TfComparison comparisonTf_;
    bool wantComparisonTf_ = false;
    quint64 comparisonSerial_ = 0;  // bumps with every comparison shown or cleared
    QStringList comparedMethods_;
    quint64 generation_ = 0;
    Recording recording_;
    quint64 recordingGeneration_ = 0;  // bumps with every file (or model rate) read
    signal::Envelope overview_;
    int overviewColumns_ = 1200;
    std::optional<ScanResult> scan_;
    ScanOptions scanOptions_;
    bool pendingScan_ = false;
    bool wasBusy_ = false;
    // Work waiting for the model (at start-up, or while a session's model loads) or for the clip.
    std::optional<std::pair<QString, double>> pendingAudio_;
    bool pendingCompare_ = false;
};

}  // namespace s4scope::app
