// The explorer document alone, without a window: the load → classify → explain sequence and what
// it announces, results that arrive for an older clip being dropped, cancelling, failures, and
// the worker thread that runs it all.
#include <QSignalSpy>
#include <QThread>
#include <QtTest>

#include <atomic>
#include <memory>

#include "app/explorer.h"
#include "app/worker_thread.h"
#include "s4scope/audio_io.h"

using s4scope::app::Explorer;
using s4scope::app::ExplorerRequests;
using Stage = s4scope::app::Explorer::Stage;

namespace {

QString clipPath(const QString& word) { return QStringLiteral(S4SCOPE_SOURCE_DIR "/resources/clips/") + word + ".wav"; }

bool waitForIdle(const Explorer& e, int timeoutMs = 120000) {
    QElapsedTimer t;
    t.start();
    do QTest::qWait(10);
    while (e.isBusy() && t.elapsed() < timeoutMs);
    return !e.isBusy();
}

// A document with the bundled model loaded.
std::unique_ptr<Explorer> withModel() {
    auto e = std::make_unique<Explorer>();
    QSignalSpy ready(e.get(), &Explorer::modelReady);
    e->openModel(QString());
    if (!ready.wait(60000)) return nullptr;
    return e;
}

// A document with the bundled model and a clip, classified, nothing else pending.
std::unique_ptr<Explorer> withClip(const QString& word) {
    auto e = withModel();
    if (!e) return nullptr;
    QSignalSpy predicted(e.get(), &Explorer::predictionReady);
    e->openAudio(clipPath(word));
    if (!predicted.wait(60000) || !waitForIdle(*e)) return nullptr;
    return e;
}

std::vector<float> loadClip(const s4scope::Model& model, const QString& word) {
    s4scope::AudioLoadOptions options;
    options.sampleRate = model.config().sample_rate;
    options.length = model.config().seq_len;
    return s4scope::loadAudio(clipPath(word).toStdString(), options).samples;
}

}  // namespace

class TestExplorer : public QObject {
    Q_OBJECT

private slots:
    void workerThreadRunsWorkInOrderAndHandsBackOnTheOwnersThread() {
        s4scope::app::WorkerThread worker(QStringLiteral("test-worker"));
        QThread* owner = QThread::currentThread();
        std::vector<int> ran, handedBack;
        std::atomic<bool> offOwnerThread{true};
        for (int i = 0; i < 5; ++i) {
            worker.post([&, i]() -> s4scope::app::WorkerThread::Continuation {
                if (QThread::currentThread() == owner) offOwnerThread = false;
                ran.push_back(i);  // the worker's own list: only it writes, in order
                return [&, i] {
                    QVERIFY(QThread::currentThread() == owner);
                    handedBack.push_back(i);
                };
            });
        }
        QTRY_COMPARE_WITH_TIMEOUT(handedBack.size(), size_t(5), 5000);
        QVERIFY(offOwnerThread);
        QCOMPARE(ran, (std::vector<int>{0, 1, 2, 3, 4}));
        QCOMPARE(handedBack, (std::vector<int>{0, 1, 2, 3, 4}));
    }

    void destroyingTheWorkerDropsWhatHasNotStarted() {
        std::atomic<int> started{0};
        bool handedBack = false;
        {
            s4scope::app::WorkerThread worker(QStringLiteral("test-worker"));
            for (int i = 0; i < 20; ++i)
                worker.post([&]() -> s4scope::app::WorkerThread::Continuation {
                    ++started;
                    QThread::msleep(50);
                    return [&] { handedBack = true; };
                });
            QTRY_VERIFY(started.load() >= 1);
        }  // joins: the running item finishes, the rest never starts, nothing is handed back
        QVERIFY2(started.load() < 20, qPrintable(QString("%1 items started").arg(started.load())));
        QTest::qWait(50);
        QVERIFY(!handedBack);
    }

    void loadClassifyExplainWithoutAWindow() {
        auto e = std::make_unique<Explorer>();
        QVERIFY(!e->model() && !e->hasClip());
        ExplorerRequests requests;
        requests.explainOnLoad = [] { return QStringLiteral("gradient_x_input"); };
        e->setRequests(requests);

        // The clip is asked for before any model: it waits for one.
        QStringList order;
        connect(e.get(), &Explorer::modelReady, this, [&order] { order << "model"; });
        connect(e.get(), &Explorer::clipReady, this, [&order] { order << "clip"; });
        connect(e.get(), &Explorer::predictionReady, this, [&order] { order << "prediction"; });
        connect(e.get(), &Explorer::explanationReady, this, [&order](const QString& id) { order << id; });
        QSignalSpy idle(e.get(), &Explorer::idle);
        e->openAudio(clipPath("yes"));
        QVERIFY(!e->isBusy());
        e->openModel(QString());
        QVERIFY(e->isBusy());
        QTRY_VERIFY_WITH_TIMEOUT(order.size() == 4 && !e->isBusy(), 60000);
        QCOMPARE(order, (QStringList{"model", "clip", "prediction", "gradient_x_input"}));
        QVERIFY(!idle.isEmpty());
        QVERIFY(e->modelPath().isEmpty());  // the bundled model
        QCOMPARE(e->generation(), quint64(2));  // one model, one clip

        const s4scope::Model& model = *e->model();
        const std::vector<float> samples = loadClip(model, "yes");
        QCOMPARE(e->clip().path, clipPath("yes"));
        QVERIFY(e->clip().samples == samples);
        QCOMPARE(e->clip().sampleRate, model.config().sample_rate);

        // The spectrogram came with the clip, computed once on the worker: the views' own.
        const auto spectrogram = s4scope::app::clipSpectrogram(samples, model.config().sample_rate);
        QCOMPARE(e->clip().spectrogram.frames, 101);
        QCOMPARE(e->clip().spectrogram.bins, spectrogram.bins);
        QVERIFY(e->clip().spectrogram.db == spectrogram.db);

        const auto prediction = model.classify(samples);
        QCOMPARE(e->prediction()->classIndex, prediction.classIndex);
        QCOMPARE(e->prediction()->label, std::string("yes"));
        QVERIFY(e->prediction()->probabilities == prediction.probabilities);

        s4scope::ExplainRequest request;
        request.method = "gradient_x_input";
        const auto expected = s4scope::explain(model, samples, request);
        QCOMPARE(e->explanation()->method, std::string("gradient_x_input"));
        QCOMPARE(e->explanation()->target, prediction.classIndex);
        QVERIFY(e->explanation()->relevance == expected.relevance);

        // Asked explicitly, through the owner's requests: its parameters and target are used.
        requests.forMethod = [](const QString& id) {
            s4scope::ExplainRequest r;
            r.method = id.toStdString();
            r.target = 4;
            r.params = {{"epsilon", 0.05}};
            return r;
        };
        e->setRequests(requests);
        QSignalSpy explained(e.get(), &Explorer::explanationReady);
        QVERIFY(e->explain(QStringLiteral("lrp_epsilon")));
        QVERIFY(explained.wait(60000));
        QCOMPARE(explained.first().first().toString(), QString("lrp_epsilon"));
        QCOMPARE(e->explanation()->target, int64_t(4));
        QCOMPARE(e->explanation()->params.at("epsilon"), 0.05);
        QVERIFY(waitForIdle(*e));
    }

    void nothingToExplainWithoutAClip() {
        auto e = withModel();
        QVERIFY(e);
        QVERIFY(!e->explain(QStringLiteral("gradient")));
        QVERIFY(!e->isBusy());
        QVERIFY(!e->compare({}));  // nothing to compare
    }

    void comparisonAskedBeforeTheClipRunsWhenItArrives() {
        auto e = withModel();
        QVERIFY(e);
        QSignalSpy compared(e.get(), &Explorer::comparisonReady);
        const QStringList methods{"lrp_z", "gradient", "guided_backprop"};
        QVERIFY(e->compare(methods));
        QVERIFY(!e->isBusy());  // waits for a clip
        e->openAudio(clipPath("no"));
        QVERIFY(compared.wait(60000));
        QCOMPARE(e->comparedMethods(), methods);
        QCOMPARE(int(e->comparison().size()), 3);
        for (int i = 0; i < 3; ++i) QCOMPARE(QString::fromStdString(e->comparison()[size_t(i)].method), methods[i]);
        QVERIFY(waitForIdle(*e));
    }

    void comparisonOnScreenFollowsANewClip() {
        auto e = withClip("up");
        QVERIFY(e);
        bool onScreen = false;
        ExplorerRequests requests;
        requests.keepComparison = [&onScreen] { return onScreen; };
        e->setRequests(requests);
        QSignalSpy compared(e.get(), &Explorer::comparisonReady);
        QVERIFY(e->compare({"gradient", "lrp_z"}));
        QVERIFY(compared.wait(60000) && waitForIdle(*e));
        const auto upRelevance = e->comparison().front().relevance;

        // Not shown: a new clip clears the comparison.
        QSignalSpy predicted(e.get(), &Explorer::predictionReady);
        e->openAudio(clipPath("down"));
        QVERIFY(predicted.wait(60000) && waitForIdle(*e));
        QVERIFY(e->comparison().empty());
        QCOMPARE(compared.size(), 1);

        // Shown: the new clip is compared with the same methods.
        QVERIFY(e->compare({"gradient", "lrp_z"}));
        QVERIFY(compared.wait(60000) && waitForIdle(*e));
        onScreen = true;
        e->openAudio(clipPath("up"));
        QVERIFY(compared.wait(60000) && waitForIdle(*e));
        QCOMPARE(int(e->comparison().size()), 2);
        QCOMPARE(e->clip().path, clipPath("up"));
        QVERIFY(e->comparison().front().relevance == upRelevance);
    }

    // Work asked for the old clip while the new one loads finishes after it: its result is dropped.
    void resultsForAnOlderClipAreDropped() {
        auto e = withClip("left");
        QVERIFY(e);
        QVERIFY(!e->explanation());  // nothing explained on load here
        const quint64 before = e->generation();
        QSignalSpy explained(e.get(), &Explorer::explanationReady);
        QSignalSpy compared(e.get(), &Explorer::comparisonReady);
        QSignalSpy predicted(e.get(), &Explorer::predictionReady);
        e->openAudio(clipPath("right"));
        // The old clip is still the document's: these are queued for it, behind the new clip's load.
        QVERIFY(e->explain(QStringLiteral("gradient")));
        QVERIFY(e->compare({"gradient", "lrp_epsilon"}));
        QVERIFY(predicted.wait(60000));
        QVERIFY(waitForIdle(*e));
        QCOMPARE(e->clip().path, clipPath("right"));
        QCOMPARE(e->generation(), before + 1);
        QCOMPARE(explained.size(), 0);
        QCOMPARE(compared.size(), 0);
        QVERIFY(!e->explanation());
        QVERIFY(e->comparison().empty());
        QCOMPARE(e->prediction()->label, std::string("right"));  // the new clip's classification is kept

        // A new model is a new generation too: an explanation queued behind it is dropped, and the
        // clip is loaded and classified again for it.
        QSignalSpy reloaded(e.get(), &Explorer::clipReady);
        e->openModel(QString());
        QVERIFY(e->explain(QStringLiteral("gradient")));
        QVERIFY(reloaded.wait(60000));
        QVERIFY(waitForIdle(*e));
        QCOMPARE(e->generation(), before + 3);
        QCOMPARE(explained.size(), 0);
        QVERIFY(!e->explanation());
        QVERIFY(e->prediction().has_value());
    }

    void cancellingStopsTheRunningJobAndTheQueuedOnes() {
        auto e = withClip("stop");
        QVERIFY(e);
        ExplorerRequests requests;
        requests.forMethod = [](const QString& id) {
            s4scope::ExplainRequest r;
            r.method = id.toStdString();
            if (id == QLatin1String("integrated_gradients")) r.params = {{"steps", 4096}};  // tens of seconds
            return r;
        };
        e->setRequests(requests);
        QSignalSpy explained(e.get(), &Explorer::explanationReady);
        QSignalSpy cancelled(e.get(), &Explorer::cancelled);
        QSignalSpy progress(e.get(), &Explorer::progress);
        QVERIFY(e->explain(QStringLiteral("integrated_gradients")));
        QVERIFY(e->explain(QStringLiteral("gradient")));  // waits behind it
        QTRY_VERIFY_WITH_TIMEOUT(progress.size() >= 2, 30000);  // started, then a fraction
        QCOMPARE(progress.first().at(0).toString(), QString("Integrated Gradients"));
        QVERIFY(progress.first().at(1).toDouble() < 0);
        QElapsedTimer clock;
        clock.start();
        e->cancel();
        QTRY_VERIFY_WITH_TIMEOUT(cancelled.size() == 2, 5000);
        QVERIFY2(clock.elapsed() < 2000, qPrintable(QString("cancelling took %1 ms").arg(clock.elapsed())));
        QVERIFY(waitForIdle(*e, 5000));
        QCOMPARE(cancelled.at(0).at(0).value<Stage>(), Stage::Explain);
        QCOMPARE(cancelled.at(0).at(1).toString(), QString("Integrated Gradients"));
        QCOMPARE(cancelled.at(1).at(1).toString(), QString("Gradient"));
        QCOMPARE(explained.size(), 0);
        QVERIFY(!e->explanation());

        // The document still works.
        QVERIFY(e->explain(QStringLiteral("gradient")));
        QVERIFY(explained.wait(60000));
        QCOMPARE(e->explanation()->method, std::string("gradient"));
    }

    void failuresNameTheirStageAndKeepTheState() {
        auto e = withClip("go");
        QVERIFY(e);
        const auto model = e->model();
        QSignalSpy failed(e.get(), &Explorer::failed);
        const QString missing = QStringLiteral(S4SCOPE_SOURCE_DIR "/resources/clips/not-there.wav");
        e->openAudio(missing);
        QVERIFY(failed.wait(30000));
        QCOMPARE(failed.first().at(0).value<Stage>(), Stage::Clip);
        QVERIFY2(failed.first().at(2).toString().contains("not-there.wav"), qPrintable(failed.first().at(2).toString()));
        QCOMPARE(e->clip().path, clipPath("go"));

        e->openModel(QStringLiteral(S4SCOPE_SOURCE_DIR "/resources/clips/go.wav"));  // not a model
        QVERIFY(failed.wait(30000));
        QCOMPARE(failed.last().at(0).value<Stage>(), Stage::Model);
        QVERIFY(e->model() == model);
        QVERIFY(waitForIdle(*e));

        // With no model yet, a model that fails falls back to the bundled one.
        Explorer fresh;
        QSignalSpy freshFailed(&fresh, &Explorer::failed);
        QSignalSpy ready(&fresh, &Explorer::modelReady);
        fresh.openModel(QStringLiteral("/nonexistent/model_config.json"));
        QVERIFY(ready.wait(60000));
        QCOMPARE(freshFailed.size(), 1);
        QVERIFY(fresh.modelPath().isEmpty());
        QVERIFY(waitForIdle(fresh));
    }

    void sessionOpensItsClipAndComparison() {
        auto e = withModel();
        QVERIFY(e);
        s4scope::app::Session s;
        s.audioPath = clipPath("on");
        s.offsetSeconds = 0;
        s.comparedMethods = {"gradient", "lrp_z"};
        QSignalSpy compared(e.get(), &Explorer::comparisonReady);
        QSignalSpy models(e.get(), &Explorer::modelReady);
        e->openSession(s);
        QVERIFY(compared.wait(60000));
        QVERIFY(waitForIdle(*e));
        QCOMPARE(models.size(), 0);  // the bundled model was in use already
        QCOMPARE(e->clip().path, clipPath("on"));
        QCOMPARE(int(e->comparison().size()), 2);
        const auto saved = e->session();
        QCOMPARE(saved.audioPath, clipPath("on"));
        QVERIFY(saved.modelPath.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestExplorer)
#include "test_explorer.moc"
