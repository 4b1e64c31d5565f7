#include "app/compute_service.h"

namespace s4scope::app {

ComputeService::ComputeService(QObject* parent) : QObject(parent) {}

// Cancels the running job; worker_'s destructor (it is the last member) then joins the thread.
ComputeService::~ComputeService() { cancelAll(); }

JobContext ComputeService::contextFor(const std::shared_ptr<Job>& job) {
    JobContext context;
    context.cancel = &job->cancel;
    // Called on the worker while the job runs (so this service, which joins the worker before it
    // goes, exists): report at most every 40 ms, the signal emitted on the GUI thread.
    context.progress = [this, job](double fraction) {
        if (job->lastProgress.isValid() && job->lastProgress.elapsed() < 40 && fraction < 1.0) return;
        job->lastProgress.restart();
        worker_.toOwner([this, label = job->label, fraction] { emit progressChanged(label, fraction); });
    };
    return context;
}

void ComputeService::enqueue(const std::shared_ptr<Job>& job, std::function<std::function<void()>()> run,
                             std::function<void()> onCancelledBeforeStart) {
    const bool wasBusy = isBusy();
    jobs_.append(job);
    if (!wasBusy) emit busyChanged(true);
    worker_.post([this, job, run, onCancelledBeforeStart]() -> WorkerThread::Continuation {
        std::function<void()> then = onCancelledBeforeStart;
        if (!job->cancel.load()) {
            worker_.toOwner([this, label = job->label] { emit progressChanged(label, -1.0); });
            then = run();
        }
        return [this, job, then] {
            then();  // first: it may queue follow-up work, so the service never looks idle between
            finish(job);
        };
    });
}

void ComputeService::finish(const std::shared_ptr<Job>& job) {
    jobs_.removeOne(job);
    if (jobs_.isEmpty()) {
        emit busyChanged(false);
        emit idle();
    }
}

void ComputeService::cancelAll() {
    for (const auto& job : jobs_) job->cancel.store(true);
}

}  // namespace s4scope::app
