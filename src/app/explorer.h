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
#include "signal/relevance_pooling.h"
#include "s4scope/attribution.h"
#include "s4scope/model.h"

namespace s4scope::app {

class ComputeService;

// What the worker computes over a finished comparison, so that the views only draw.
struct ComparisonSummary {
    signal::Agreement agreement;
    std::vector<signal::RelevanceStats> stats;
};

struct Clip {
    QString path;  // the audio file (a recording is saved to one first)
    double offsetSeconds = 0;
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
    enum class Stage { Model, Clip, Classify, Explain, Compare };
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
    quint64 generation() const { return generation_; }  // bumps with every new clip or model
    bool isBusy() const;

    // The clip, offset and model of a session (the window adds what its panels show).
    Session session() const;

public slots:
    // Empty: the bundled model (or, when none is shipped, a freshly initialised one). A clip that is
    // open is loaded again for the new model; a clip asked for before any model waits for it.
    void openModel(const QString& path);
    void openAudio(const QString& path, double offsetSeconds = 0);
    // Opens the session's model (unless it is the one in use), then its clip, then compares its methods.
    void openSession(const Session& session);
    // Returns false (and does nothing) when there is no clip or model yet.
    bool explain(const QString& methodId);
    // Returns false when `methodIds` is empty. Without a clip it runs as soon as one is classified.
    bool compare(const QStringList& methodIds);
    void cancel();  // every pending job: the running one stops at its next check

signals:
    void modelLoading();
    void modelReady();
    void clipReady();
    void predictionReady();
    void explanationReady(const QString& method);
    void comparisonReady();
    // `what` names the job (a method's name, "Classifying", "Comparison"). A comparison whose
    // methods partly failed reports them all in one message (the others still arrive).
    void failed(s4scope::app::Explorer::Stage stage, const QString& what, const QString& message);
    void cancelled(s4scope::app::Explorer::Stage stage, const QString& what);
    void progress(const QString& label, double fraction);  // fraction < 0: started, unknown
    void busyChanged(bool busy);
    void idle();  // no engine work pending

private:
    void onModelLoaded(std::shared_ptr<const Model> model, const QString& path, bool fallback);
    void onClipLoaded(Clip clip);
    void classify();
    ExplainRequest requestFor(const QString& methodId) const;
    void runComparison(const QStringList& methodIds);
    void openPendingAudio();

    ComputeService* compute_;
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
    QStringList comparedMethods_;
    quint64 generation_ = 0;
    // Work waiting for the model (at start-up, or while a session's model loads) or for the clip.
    std::optional<std::pair<QString, double>> pendingAudio_;
    bool pendingCompare_ = false;
};

}  // namespace s4scope::app
