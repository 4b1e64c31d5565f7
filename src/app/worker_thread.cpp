#include "app/worker_thread.h"

#include <QMetaObject>

namespace s4scope::app {

WorkerThread::WorkerThread(const QString& name, QObject* parent) : QObject(parent), context_(new QObject) {
    thread_.setObjectName(name);
    context_->moveToThread(&thread_);
    // Deleting the context when the thread ends also discards the work still queued for it.
    connect(&thread_, &QThread::finished, context_, &QObject::deleteLater);
    thread_.start();
}

WorkerThread::~WorkerThread() {
    // The event loop would still run every item already queued before it sees quit().
    stopping_.store(true);
    thread_.quit();
    thread_.wait();
}

void WorkerThread::post(std::function<Continuation()> work) {
    QMetaObject::invokeMethod(
        context_,
        [this, work = std::move(work)] {
            if (stopping_.load()) return;
            Continuation then = work();
            if (then) toOwner(std::move(then));
        },
        Qt::QueuedConnection);
}

void WorkerThread::toOwner(Continuation f) {
    // Queued on this object: Qt drops it if this object is destroyed before it runs.
    QMetaObject::invokeMethod(this, std::move(f), Qt::QueuedConnection);
}

}  // namespace s4scope::app
