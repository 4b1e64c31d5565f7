#pragma once
// One engine thread and the way back from it. Work posted here runs on the thread in posting
// order; what it returns runs afterwards on the thread that owns this object (the GUI thread), so
// results are handed over without locks. ComputeService (a queue with cancel flags and progress)
// and LiveEvaluator (keeps only the newest waiting window) are two queue policies on top of it.
#include <atomic>
#include <functional>

#include <QObject>
#include <QString>
#include <QThread>

namespace s4scope::app {

class WorkerThread : public QObject {
    Q_OBJECT
public:
    explicit WorkerThread(const QString& name, QObject* parent = nullptr);
    // Lets the running work finish, drops what has not started, joins. Nothing posted back runs.
    ~WorkerThread() override;

    // What the work hands back: it runs on the owner's thread once the work is done.
    using Continuation = std::function<void()>;

    // Runs `work` on the worker thread, then its continuation (if any) on the owner's thread.
    // The work may call toOwner() while it runs: this object outlives it (the destructor joins).
    void post(std::function<Continuation()> work);

    // Runs `f` on the owner's thread soon; callable from any thread while this object exists.
    void toOwner(Continuation f);

private:
    QThread thread_;
    QObject* context_;  // lives on thread_: work posted to it runs there
    std::atomic<bool> stopping_{false};  // set by the destructor: queued work no longer starts
};

}  // namespace s4scope::app
