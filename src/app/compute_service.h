#pragma once
// The explorer's queue: engine work (loading, classifying, explaining) runs on one worker thread
// in submission order, so the GUI thread never waits for libtorch; every job has a cancel flag and
// reports progress. Results and errors come back on the GUI thread.
#include <atomic>
#include <exception>
#include <functional>
#include <memory>

#include <QElapsedTimer>
#include <QList>
#include <QObject>

#include "app/worker_thread.h"
#include "s4scope/attribution.h"

namespace s4scope::app {

// What a job sees while it runs on the worker thread.
struct JobContext {
    const std::atomic<bool>* cancel = nullptr;  // pass to ExplainRequest::cancel
    std::function<void(double)> progress;       // fraction done, 0..1; cheap to call often
};

class ComputeService : public QObject {
    Q_OBJECT
public:
    explicit ComputeService(QObject* parent = nullptr);
    ~ComputeService() override;  // cancels what is pending and joins the worker

    // Runs `work(context)` on the worker; then, on the GUI thread, `onDone(result)` or
    // `onFailed(message, cancelled)` (cancelled: the job threw s4scope::Cancelled or was cancelled
    // before it started). `label` names the job in progress reports.
    template <class Result>
    void submit(const QString& label, std::function<Result(const JobContext&)> work,
                std::function<void(Result)> onDone, std::function<void(const QString&, bool)> onFailed);

    // Cancels every job submitted so far: the running one stops at its next check.
    void cancelAll();
    bool isBusy() const { return !jobs_.isEmpty(); }
    int pendingJobs() const { return int(jobs_.size()); }

signals:
    void busyChanged(bool busy);
    void idle();  // the queue has just emptied
    void progressChanged(const QString& label, double fraction);  // fraction < 0: started, unknown

private:
    struct Job {
        QString label;
        std::atomic<bool> cancel{false};
        QElapsedTimer lastProgress;
    };
    // `run` executes on the worker and returns what to do on the GUI thread.
    void enqueue(const std::shared_ptr<Job>& job, std::function<std::function<void()>()> run,
                 std::function<void()> onCancelledBeforeStart);
    void finish(const std::shared_ptr<Job>& job);
    JobContext contextFor(const std::shared_ptr<Job>& job);

    QList<std::shared_ptr<Job>> jobs_;  // GUI thread only
    WorkerThread worker_{QStringLiteral("s4scope-compute")};  // last: joined before the rest goes
};

template <class Result>
void ComputeService::submit(const QString& label, std::function<Result(const JobContext&)> work,
                            std::function<void(Result)> onDone, std::function<void(const QString&, bool)> onFailed) {
    auto job = std::make_shared<Job>();
    job->label = label;
    const JobContext context = contextFor(job);
    auto run = [work, onDone, onFailed, context]() -> std::function<void()> {
        try {
            auto result = std::make_shared<Result>(work(context));
            return [onDone, result] { onDone(std::move(*result)); };
        } catch (const Cancelled&) {
            return [onFailed] { onFailed(QString(), true); };
        } catch (const std::exception& e) {
            const QString message = QString::fromUtf8(e.what());
            return [onFailed, message] { onFailed(message, false); };
        } catch (...) {
            return [onFailed] { onFailed(QStringLiteral("unknown error"), false); };
        }
    };
    enqueue(job, run, [onFailed] { onFailed(QString(), true); });
}

}  // namespace s4scope::app
