// Drives the real main window: a clip is opened, two methods run through the method panel, a
// comparison runs; what the views draw must be exactly what the engine computes.
#include <QPushButton>
#include <QRegularExpression>
#include <QTabWidget>

#include "app/method_panel.h"
#include "app/param_form.h"
#include "gui_test_support.h"
#include "views/agreement_plot.h"
#include "views/comparison_plot.h"
#include "signal/correlation.h"
#include "views/explanation_plot.h"
#include "views/probability_plot.h"
#include "views/waveform_layer.h"

using s4scope::app::Explorer;
using s4scope::app::MainWindow;

class TestGuiExplain : public QObject {
    Q_OBJECT
    QTemporaryDir settingsDir_;
    std::unique_ptr<MainWindow> window_;

    // Clicks the panel's Explain button and waits for the result.
    bool explainWithButton() {
        QSignalSpy ready(window_->explorer(), &Explorer::explanationReady);
        QTest::mouseClick(window_->methodPanel()->findChild<QPushButton*>(QStringLiteral("explainButton")), Qt::LeftButton);
        return ready.wait(60000) && guitest::waitForIdle(*window_);
    }

private slots:
    void initTestCase() {
        window_ = guitest::shownWindow(settingsDir_);
        QVERIFY(guitest::waitForModel(*window_));
        QVERIFY(guitest::openClip(*window_, guitest::clipPath("yes")));
    }

    void clipAndPredictionAreShown() {
        const auto& w = *window_;
        QCOMPARE(int(w.explorer()->clip().samples.size()), int(w.explorer()->model()->config().seq_len));
        QVERIFY(w.explanationPlot()->samples() == w.explorer()->clip().samples);
        QVERIFY(w.explorer()->prediction().has_value());
        const auto reference = w.explorer()->model()->classify(w.explorer()->clip().samples);
        QVERIFY(guitest::relativeDifference(w.probabilityPlot()->probabilities(), reference.probabilities) < 1e-5);
        QVERIFY(w.windowTitle().contains("yes.wav"));
    }

    void twoMethodsOverlayTheEnginesRelevance() {
        auto* panel = window_->methodPanel();
        panel->setCurrentMethod("gradient");
        QVERIFY(explainWithButton());
        s4scope::ExplainRequest gradient;
        gradient.method = "gradient";
        auto expected = guitest::engineExplanation(*window_->explorer()->model(), guitest::clipPath("yes"), gradient);
        QCOMPARE(window_->explorer()->explanation()->method, std::string("gradient"));
        QVERIFY2(guitest::relativeDifference(window_->explanationPlot()->relevance(), expected.relevance) < 1e-5,
                 "the overlay differs from the engine's gradient");

        // The second method with an edited parameter, typed into its spin box.
        panel->setCurrentMethod("lrp_epsilon");
        auto* epsilon = qobject_cast<QDoubleSpinBox*>(panel->findChild<s4scope::app::ParamForm*>()->editor("epsilon"));
        QVERIFY(epsilon);
        epsilon->setValue(0.1);
        QCOMPARE(panel->params("lrp_epsilon").at("epsilon"), 0.1);
        QVERIFY(explainWithButton());
        s4scope::ExplainRequest lrp;
        lrp.method = "lrp_epsilon";
        lrp.params = {{"epsilon", 0.1}};
        expected = guitest::engineExplanation(*window_->explorer()->model(), guitest::clipPath("yes"), lrp);
        QCOMPARE(window_->explorer()->explanation()->method, std::string("lrp_epsilon"));
        QVERIFY2(guitest::relativeDifference(window_->explanationPlot()->relevance(), expected.relevance) < 1e-5,
                 "the overlay differs from the engine's LRP-epsilon");
        QCOMPARE(window_->explorer()->explanation()->params.at("epsilon"), 0.1);
    }

    void targetClassIsHonoured() {
        auto* panel = window_->methodPanel();
        panel->setCurrentMethod("gradient_x_input");
        panel->setTarget(7);
        QVERIFY(explainWithButton());
        QCOMPARE(window_->explorer()->explanation()->target, int64_t(7));
        s4scope::ExplainRequest r;
        r.method = "gradient_x_input";
        r.target = 7;
        const auto expected = guitest::engineExplanation(*window_->explorer()->model(), guitest::clipPath("yes"), r);
        QVERIFY(guitest::relativeDifference(window_->explanationPlot()->relevance(), expected.relevance) < 1e-5);
        panel->setTarget(-1);
    }

    void comparisonSharesAxisAndShowsAgreement() {
        QSignalSpy ready(window_->explorer(), &Explorer::comparisonReady);
        window_->compare({"gradient", "lrp_epsilon", "gradient_x_input"});
        QVERIFY(ready.wait(60000));
        auto* grid = window_->comparisonPlot();
        QCOMPARE(grid->mapCount(), 3);
        for (int i = 0; i < 3; ++i)
            QVERIFY(grid->relevance(i) == window_->explorer()->comparison()[size_t(i)].relevance);

        // One time axis: zooming the explanation view zooms the grid.
        window_->explanationPlot()->setTimeRange(QCPRange(0.2, 0.6));
        QCOMPARE(grid->timeRange().lower, 0.2);
        QCOMPARE(grid->timeRange().upper, 0.6);
        window_->explanationPlot()->resetZoom();

        // A shared colour scale divides every row by the same max |R|; otherwise each by its own.
        grid->setSharedScale(true);
        QCOMPARE(grid->appliedScale(0), grid->appliedScale(1));
        grid->setSharedScale(false);
        QVERIFY(grid->appliedScale(0) != grid->appliedScale(1));

        // The agreement: 10 ms frames by default (DESIGN.md §10), as computed directly.
        using s4scope::signal::poolFrames;
        const auto& m = window_->agreementPlot()->matrix();
        QCOMPARE(int(m.size()), 9);
        QCOMPARE(m[0], 1.0);
        QCOMPARE(m[1], s4scope::signal::pearson(poolFrames(grid->relevance(0), 160), poolFrames(grid->relevance(1), 160)));
        QCOMPARE(m[1], m[3]);
        window_->agreementPlot()->setCorrelation(s4scope::views::Correlation::Spearman);
        QCOMPARE(window_->agreementPlot()->matrix()[2],
                 s4scope::signal::spearman(poolFrames(grid->relevance(0), 160), poolFrames(grid->relevance(2), 160)));
        window_->agreementPlot()->setScale(0);
        QCOMPARE(window_->agreementPlot()->matrix()[2], s4scope::signal::spearman(grid->relevance(0), grid->relevance(2)));
        window_->agreementPlot()->setScale(s4scope::signal::kDefaultAgreementScale);
        window_->agreementPlot()->setCorrelation(s4scope::views::Correlation::Pearson);

        // Each row header states the data's own max |R| and ΣR, the same at any window size.
        for (int i = 0; i < grid->mapCount(); ++i) {
            double maxAbs = 0, sum = 0;
            for (float v : grid->relevance(i)) maxAbs = std::max(maxAbs, double(std::abs(v))), sum += v;
            const QString header = grid->rowHeader(i);
            QVERIFY2(header.contains(QString("max |R| %1").arg(maxAbs, 0, 'g', 3)), qPrintable(header));
            QVERIFY2(header.contains(QString("ΣR %1").arg(sum, 0, 'g', 3)), qPrintable(header));
        }
        const QString before = grid->rowHeader(0);
        const QSize size = window_->size();
        window_->resize(size.width() - 300, size.height() - 100);
        grid->replot();
        QCOMPARE(grid->rowHeader(0), before);
        window_->resize(size);
    }

    void shortcutsDriveTheWindow() {
        window_->activateWindow();
        QTRY_VERIFY(window_->isActiveWindow());
        window_->methodPanel()->setCurrentMethod("guided_backprop");
        QSignalSpy ready(window_->explorer(), &Explorer::explanationReady);
        QTest::keyClick(window_.get(), Qt::Key_F5);
        QVERIFY(ready.wait(60000));
        QCOMPARE(ready.first().first().toString(), QString("guided_backprop"));
        auto* tabs = window_->findChild<QTabWidget*>("viewTabs");
        QTest::keyClick(window_.get(), Qt::Key_2, Qt::ControlModifier);
        QCOMPARE(tabs->currentWidget()->objectName(), QString("comparisonTab"));
        QTest::keyClick(window_.get(), Qt::Key_1, Qt::ControlModifier);
        QCOMPARE(tabs->currentWidget()->objectName(), QString("explanationTab"));
        const QCPRange whole = window_->explanationPlot()->timeRange();
        QTest::keyClick(window_.get(), Qt::Key_Equal, Qt::ControlModifier);  // zoom in
        QVERIFY(window_->explanationPlot()->timeRange().size() < whole.size());
        QTest::keyClick(window_.get(), Qt::Key_0, Qt::ControlModifier);  // reset
        QCOMPARE(window_->explanationPlot()->timeRange().size(), whole.size());
        QVERIFY(guitest::waitForIdle(*window_));
    }

    void crosshairReadsTimeAmplitudeAndRelevance() {
        auto* plot = window_->explanationPlot();
        QSignalSpy readout(plot, &s4scope::views::ExplanationPlot::readoutChanged);
        QCPAxisRect* rect = plot->waveform()->rect();
        const QPoint inside(int(rect->axis(QCPAxis::atBottom)->coordToPixel(0.5)), rect->center().y());
        QTest::mouseMove(plot, inside);
        QTRY_VERIFY(!readout.isEmpty());
        const QString text = readout.last().first().toString();
        const auto t = QRegularExpression("^t ([0-9.]+) s").match(text);
        QVERIFY2(t.hasMatch() && std::abs(t.captured(1).toDouble() - 0.5) < 0.005, qPrintable(text));
        QVERIFY2(text.contains("amplitude") && text.contains("R "), qPrintable(text));
    }

    void playbackWithoutAnOutputDeviceIsHarmless() {
        window_->togglePlayback();  // offscreen test machines have no audio output: a status message
        QTest::qWait(100);
        window_->togglePlayback();
        QVERIFY(window_->isVisible());
    }

    void settingsAreRememberedBetweenRuns() {
        window_->methodPanel()->setCurrentMethod("smoothgrad");
        window_->methodPanel()->setParams("smoothgrad", {{"samples", 8}, {"sigma", 0.2}});
        window_->close();  // closeEvent stores the settings
        MainWindow second;
        QCOMPARE(second.methodPanel()->currentMethod(), QString("smoothgrad"));
        QCOMPARE(second.methodPanel()->params("smoothgrad").at("samples"), 8.0);
        QCOMPARE(second.methodPanel()->params("smoothgrad").at("sigma"), 0.2);
        QVERIFY(guitest::waitForModel(second));
        QVERIFY(guitest::waitForIdle(second));
    }

    void cleanupTestCase() {
        QVERIFY(guitest::waitForIdle(*window_));
        window_.reset();
    }
};

QTEST_MAIN(TestGuiExplain)
#include "test_gui_explain.moc"
