// The real main window under stress: a long method is cancelled while the GUI keeps running its
// event loop; corrupt audio and a corrupt model give error dialogs and leave the app working.
#include <QElapsedTimer>
#include <QFile>
#include <QProgressBar>
#include <QTimer>
#include <QToolButton>

#include <QHelpEvent>
#include <QMessageBox>
#include <QTabWidget>
#include <QToolTip>

#include "app/error_dialog.h"
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
    // A library's 40-line report (a checkpoint's shape mismatch) is a one-line summary with the
    // whole message behind "Show Details".
    // Tooltips belong to what they describe: the tab bar's stay on the tabs, none covers the
    // waveform while the crosshair moves over it.
    void noTooltipOverThePlots() {
        auto* tabs = window_->findChild<QTabWidget*>("viewTabs");
        QVERIFY(tabs->toolTip().isEmpty());
        QVERIFY(!tabs->tabToolTip(0).isEmpty() && !tabs->tabToolTip(1).isEmpty());
        auto* plot = window_->explanationPlot();
        const QPoint inside = plot->rect().center();
        QHelpEvent help(QEvent::ToolTip, inside, plot->mapToGlobal(inside));
        QVERIFY(QApplication::sendEvent(plot, &help));  // handled by the plot: nothing propagates to the tabs
        QVERIFY(!QToolTip::isVisible());
    }

    void longErrorsAreSummarised() {
        QString message = QStringLiteral("model.pt: the checkpoint does not fit the model: size mismatch for encoder.weight");
        for (int i = 0; i < 40; ++i) message += QStringLiteral("\n  copying a param with shape [%1, 1, 3] from checkpoint, the shape in the current model is [64, 1, 3]").arg(i);
        QMessageBox* box = s4scope::app::showError(nullptr, QStringLiteral("Cannot open the model"), message);
        QVERIFY(box);
        QCOMPARE(box->text(), QStringLiteral("model.pt: the checkpoint does not fit the model: size mismatch for encoder.weight"));
        QCOMPARE(box->detailedText(), message);
        box->close();
        // Short messages stay whole, with no details.
        const auto shortText = s4scope::app::splitErrorMessage(QStringLiteral("gone.wav: no such file"));
        QCOMPARE(shortText.summary, QStringLiteral("gone.wav: no such file"));
        QVERIFY(shortText.details.isEmpty());
        const auto longLine = s4scope::app::splitErrorMessage(QString(500, QLatin1Char('x')));
        QCOMPARE(longLine.summary.size(), 200);
        QCOMPARE(longLine.details.size(), 500);
    }

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
        // The bar says what runs (a busy indicator, range 0..0, shows no text in most styles).
        QVERIFY(window_->progressBar()->maximum() > 0);
        QVERIFY2(!window_->progressBar()->text().isEmpty(), "the progress bar has no text");

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
