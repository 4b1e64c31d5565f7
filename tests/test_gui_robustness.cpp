// The real main window under stress: a long method is cancelled while the GUI keeps running its
// event loop; corrupt audio and a corrupt model give error dialogs and leave the app working.
#include <QElapsedTimer>
#include <QFile>
#include <QProgressBar>
#include <QTimer>
#include <QToolButton>

#include "app/method_panel.h"
#include "gui_test_support.h"
#include "views/explanation_plot.h"

using s4scope::app::Explorer;
using s4scope::app::MainWindow;

namespace {

void writeGarbage(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

}  // namespace

class TestGuiRobustness : public QObject {
    Q_OBJECT
    QTemporaryDir settingsDir_;
    QTemporaryDir files_;
    std::unique_ptr<MainWindow> window_;

    bool explainAndWait(const QString& method) {
        QSignalSpy ready(window_->explorer(), &Explorer::explanationReady);
        window_->methodPanel()->setCurrentMethod(method);
        window_->explainCurrent();
        return ready.wait(60000) && guitest::waitForIdle(*window_);
    }

private slots:
    void initTestCase() {
        window_ = guitest::shownWindow(settingsDir_);
        QVERIFY(guitest::waitForModel(*window_));
        QVERIFY(guitest::openClip(*window_, guitest::clipPath("stop")));
    }

    void cancellingALongMethodKeepsTheGuiResponsive() {
        // Integrated gradients with 4096 steps takes tens of seconds on two cores.
        window_->methodPanel()->setParams("integrated_gradients", {{"steps", 4096}});
        window_->methodPanel()->setCurrentMethod("integrated_gradients");
        const auto before = window_->explorer()->explanation();
        QSignalSpy cancelled(window_->explorer(), &Explorer::cancelled);
        window_->explainCurrent();
        QVERIFY(window_->explorer()->isBusy());

        // A 10 ms timer on the GUI thread: the longest gap between its ticks is how long the
        // event loop was blocked while the method ran on the worker.
        QElapsedTimer clock;
        clock.start();
        qint64 last = 0, worstGap = 0;
        int ticks = 0;
        QTimer timer;
        timer.setInterval(10);
        connect(&timer, &QTimer::timeout, [&] {
            worstGap = std::max(worstGap, clock.elapsed() - last);
            last = clock.elapsed();
            ++ticks;
        });
        timer.start();
        QTest::qWait(1500);
        QVERIFY2(worstGap < 100, qPrintable(QString("the event loop stalled for %1 ms").arg(worstGap)));
        QVERIFY(ticks > 50);
        QVERIFY(window_->explorer()->isBusy());
        QVERIFY(window_->progressBar()->isVisible());
        QVERIFY(window_->cancelButton()->isVisible());

        QElapsedTimer cancelClock;
        cancelClock.start();
        QTest::mouseClick(window_->cancelButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(cancelled.count() == 1, 5000);
        const qint64 cancelMs = cancelClock.elapsed();
        QVERIFY2(cancelMs < 2000, qPrintable(QString("cancelling took %1 ms").arg(cancelMs)));
        QVERIFY(guitest::waitForIdle(*window_, 5000));
        timer.stop();
        QVERIFY2(worstGap < 100, qPrintable(QString("the event loop stalled for %1 ms").arg(worstGap)));
        qInfo("worst event-loop gap while integrated gradients ran: %lld ms; cancel took %lld ms", worstGap, cancelMs);
        QVERIFY(!window_->progressBar()->isVisible());
        // The cancelled run left the view as it was.
        QCOMPARE(window_->explorer()->explanation()->method, before->method);
        QVERIFY(window_->explanationPlot()->relevance() == before->relevance);

        window_->methodPanel()->setParams("integrated_gradients", {});
        QVERIFY(explainAndWait("integrated_gradients"));
        QCOMPARE(window_->explorer()->explanation()->method, std::string("integrated_gradients"));
    }

    void corruptAudioShowsAnErrorAndTheAppStillWorks() {
        const QString bad = files_.filePath("corrupt.wav");
        writeGarbage(bad, QByteArray("RIFF\x10\x00\x00\x00WAVEjunkjunkjunk", 20) + QByteArray(500, '\x7f'));
        window_->openAudio(bad);
        QTRY_VERIFY_WITH_TIMEOUT(guitest::errorDialog(*window_), 30000);
        QMessageBox* box = guitest::errorDialog(*window_);
        QVERIFY2(box->text().contains("corrupt.wav"), qPrintable(box->text()));
        QVERIFY(box->windowTitle().contains("audio"));
        guitest::closeDialog(box);
        QTRY_VERIFY(!guitest::errorDialog(*window_));
        QVERIFY(window_->explorer()->clip().path.endsWith("stop.wav"));  // the previous clip stays

        QVERIFY(guitest::openClip(*window_, guitest::clipPath("go")));
        QVERIFY(window_->explorer()->clip().path.endsWith("go.wav"));
        QVERIFY(explainAndWait("gradient"));
    }

    void corruptModelShowsAnErrorAndTheAppStillWorks() {
        const auto model = window_->explorer()->model();
        writeGarbage(files_.filePath("broken_config.json"), "{ \"d_model\": ");
        writeGarbage(files_.filePath("broken.pt"), QByteArray(4096, '\x42'));
        window_->openModel(files_.filePath("broken.pt"));
        QTRY_VERIFY_WITH_TIMEOUT(guitest::errorDialog(*window_), 30000);
        QMessageBox* box = guitest::errorDialog(*window_);
        QVERIFY2(box->text().contains("broken"), qPrintable(box->text()));
        guitest::closeDialog(box);
        QTRY_VERIFY(!guitest::errorDialog(*window_));
        QVERIFY(window_->explorer()->model() == model);  // the previous model stays in use

        // A well-formed config with weights that are not a checkpoint.
        writeGarbage(files_.filePath("weights_config.json"), QByteArray::fromStdString(s4scope::ModelConfig{}.toJson()));
        writeGarbage(files_.filePath("weights.safetensors"), QByteArray(64, '\0'));
        window_->openModel(files_.filePath("weights_config.json"));
        QTRY_VERIFY_WITH_TIMEOUT(guitest::errorDialog(*window_), 30000);
        QVERIFY(guitest::errorDialog(*window_)->text().contains("weights.safetensors"));
        guitest::closeDialog(guitest::errorDialog(*window_));
        QTRY_VERIFY(!guitest::errorDialog(*window_));
        QVERIFY(window_->explorer()->model() == model);

        QVERIFY(explainAndWait("lrp_epsilon"));
        QCOMPARE(window_->explorer()->explanation()->method, std::string("lrp_epsilon"));
    }

    void cleanupTestCase() {
        QVERIFY(guitest::waitForIdle(*window_));
        window_.reset();
    }
};

QTEST_MAIN(TestGuiRobustness)
#include "test_gui_robustness.moc"
