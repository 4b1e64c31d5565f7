#include "app/compute_service.h"

#include <QMetaObject>
#include <QPointer>

namespace s4scope::app {

ComputeService::ComputeService(QObject* parent) : QObject(parent), worker_(new QObject) {
    thread_.setObjectName(QStringLiteral("s4scope-compute"));
    worker_->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
    thread_.start();
}

ComputeService::~ComputeService() {
    cancelAll();
    thread_.quit();
    thread_.wait();
}

JobContext ComputeService::contextFor(const std::shared_ptr<Job>& job) {
    JobContext context;
    context.cancel = &job->cancel;
    QPointer<ComputeService> self(this);
    // Called on the worker: report at most every 40 ms, and never touch `this` from there.
    context.progress = [self, job](double fraction) {
        if (job->lastProgress.isValid() && job->lastProgress.elapsed() < 40 && fraction < 1.0) return;
        job->lastProgress.restart();
        QMetaObject::invokeMethod(
            self.data(), [self, label = job->label, fraction] {
                if (self) emit self->progressChanged(label, fraction);
            },
            Qt::QueuedConnection);
    };
    return context;
}

void ComputeService::enqueue(const std::shared_ptr<Job>& job, std::function<std::function<void()>()> run,
                             std::function<void()> onCancelledBeforeStart) {
    const bool wasBusy = isBusy();
    jobs_.append(job);
    if (!wasBusy) emit busyChanged(true);
    QPointer<ComputeService> self(this);
    QMetaObject::invokeMethod(
        worker_,
        [self, job, run, onCancelledBeforeStart] {
            std::function<void()> then = onCancelledBeforeStart;
            if (!job->cancel.load()) {
                if (self) QMetaObject::invokeMethod(self.data(), [self, label = job->label] {
                    if (self) emit self->progressChanged(label, -1.0);
                }, Qt::QueuedConnection);
                then = run();
            }
            QMetaObject::invokeMethod(
                self.data(), [self, job, then] {
                    if (!self) return;
                    then();  // first: it may queue follow-up work, so the service never looks idle between
                    self->finish(job);
                },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
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
