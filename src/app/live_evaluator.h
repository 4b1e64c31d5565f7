#pragma once
// Evaluates live windows on its own worker thread: classify plus one single-pass attribution
// method (and, when asked, its time–frequency relevance). At most one window is computed and at most one waits (the newest): when computation
// falls behind, older waiting windows are dropped, never queued. Results arrive on the GUI thread.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <QObject>

#include "app/clip_spectrogram.h"
#include "app/worker_thread.h"
#include "s4scope/attribution.h"
#include "s4scope/model.h"
#include "signal/tf_comparison.h"

namespace s4scope::app {

struct LiveFrame {
    std::vector<float> samples;  // one window at the model's rate
    qint64 clock = 0;            // the capture clock (samples received) of its newest sample
    bool speech = false;         // the voice-activity gate's verdict
    std::string method;          // attribution method id
    quint64 run = 0;             // which recording (Start) it belongs to
    bool timeFrequency = false;  // also R[f,t] of the relevance (DESIGN.md §8), for the overlay
};

struct LiveResult {
    qint64 clock = 0;
    quint64 run = 0;  // the frame's recording: results of an earlier one are dropped
    bool speech = false;
    std::vector<float> samples;
    Spectrogram spectrogram;  // of `samples`, computed on the worker too
    Prediction prediction;
    std::vector<float> relevance;  // empty when the method failed
    QString error;
    double computeMs = 0;
    // R[f,t] of `relevance` and its colour range when the frame asked for it (frames 0 otherwise),
    // computed on the worker after the method; tfMs is that step's time.
    signal::TfRelevance tf;
    double tfScale = 0;
    double tfMs = 0;
};

// The attribution methods fast enough for live use (one backward pass).
std::vector<std::string> singlePassMethods();

class LiveEvaluator : public QObject {
    Q_OBJECT
public:
    explicit LiveEvaluator(QObject* parent = nullptr);
    ~LiveEvaluator() override;  // waits for the running evaluation; the waiting one is dropped

    void setModel(std::shared_ptr<const Model> model) { model_ = std::move(model); }
    const std::shared_ptr<const Model>& model() const { return model_; }

    // Starts `frame` at once when idle; otherwise it becomes the one waiting frame.
    void submit(LiveFrame frame);
    bool isBusy() const { return busy_; }
    int waiting() const { return pending_ ? 1 : 0; }
    qint64 submitted() const { return submitted_; }
    qint64 dropped() const { return dropped_; }
    int maxBacklog() const { return maxBacklog_; }  // running + waiting, the most ever seen

signals:
    void evaluated(const s4scope::app::LiveResult& result);

private:
    void dispatch(LiveFrame frame);
    void onDone(std::shared_ptr<LiveResult> result);

    std::shared_ptr<const Model> model_;
    std::optional<LiveFrame> pending_;
    bool busy_ = false;
    qint64 submitted_ = 0, dropped_ = 0;
    int maxBacklog_ = 0;
    WorkerThread worker_{QStringLiteral("s4scope-live")};  // last: joined before the rest goes
};

}  // namespace s4scope::app
