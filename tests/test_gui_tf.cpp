// The time–frequency tab of the real main window (issue 17): the overlay and the profile are the
// engine's R[f,t] for the explanation on screen, the listening buttons (and their shortcuts) play
// the engine's masked signals, the probabilities beside them are the model's on those signals, and
// the signals and the figure export.
#include <QCheckBox>
#include <QFileInfo>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QTabWidget>

#include "app/method_panel.h"
#include "app/tf_panel.h"
#include "gui_test_support.h"
#include "signal/listening.h"
#include "tf/tf_explanation.h"
#include "views/tf_relevance_plot.h"

using s4scope::app::Explorer;
using s4scope::app::MainWindow;
using s4scope::app::TfPanel;
using s4scope::signal::ListenMask;

namespace {

double maxDifference(const std::vector<float>& a, const std::vector<float>& b) {
    if (a.size() != b.size()) return INFINITY;
    double d = 0;
    for (size_t i = 0; i < a.size(); ++i) d = std::max(d, double(std::abs(a[i] - b[i])));
    return d;
}

}  // namespace

class TestGuiTf : public QObject {
    Q_OBJECT
    QTemporaryDir settingsDir_, out_;
    std::unique_ptr<MainWindow> window_;

    TfPanel& panel() { return *window_->tfPanel(); }

    // The engine's answer for what the window shows, computed here without the GUI.
    s4scope::tf::TfExplanation engineTf(double top) {
        const auto& model = *window_->explorer()->model();
        s4scope::ExplainRequest r;
        r.method = "lrp_epsilon";
        const auto e = guitest::engineExplanation(model, guitest::clipPath("yes"), r);
        return s4scope::tf::explainInTimeFrequency(model, window_->explorer()->clip().samples, e, top);
    }

    bool waitForTf() {
        QSignalSpy ready(&panel(), &TfPanel::ready);
        return ready.wait(60000);
    }

private slots:
    void initTestCase() {
        window_ = guitest::shownWindow(settingsDir_);
        QVERIFY(guitest::waitForModel(*window_));
        QVERIFY(guitest::openClip(*window_, guitest::clipPath("yes")));
        window_->methodPanel()->setCurrentMethod("lrp_epsilon");
        window_->explainCurrent();
        QVERIFY(guitest::waitForIdle(*window_));
        QCOMPARE(window_->explorer()->explanation()->method, std::string("lrp_epsilon"));
        // The clip's own explanation (explain on load) may have started one before: wait for the last.
        QTRY_VERIFY_WITH_TIMEOUT(!panel().isBusy() && panel().result().has_value(), 60000);
    }

    void overlayIsTheEnginesTimeFrequencyRelevance() {
        const auto expected = engineTf(100);
        const auto* plot = panel().plot();
        const auto& r = expected.relevance;
        QCOMPARE(plot->relevance().frames, r.frames);
        QCOMPARE(plot->relevance().bins, r.bins);
        double diff = 0, scale = 0;
        for (int t = 0; t < r.frames; ++t)
            for (int f = 0; f < r.bins; ++f) {
                diff = std::max(diff, std::abs(plot->overlayCell(t, f) - r.at(t, f)));
                scale = std::max(scale, std::abs(r.at(t, f)));
            }
        QVERIFY2(diff <= 1e-5 * scale, qPrintable(QString("overlay differs by %1 of %2").arg(diff).arg(scale)));
        const auto profile = r.frequencyProfile();
        for (size_t f = 0; f < profile.size(); ++f) QVERIFY(std::abs(plot->frequencyProfile()[f] - profile[f]) <= 1e-5 * scale * r.frames);
        // The crosshair's text: time, frequency, dB and R[f,t].
        const QString readout = plot->readoutAt(0.5, 1000);
        QVERIFY2(readout.contains("t 0.500 s") && readout.contains("f 1000 Hz") && readout.contains("dB") && readout.contains("R[f,t]"),
                 qPrintable(readout));
        // Toggle and opacity.
        QVERIFY(plot->overlayShown());
        panel().overlayToggle()->click();
        QVERIFY(!plot->overlayShown());
        panel().overlayToggle()->click();
        panel().opacitySlider()->setValue(40);
        QCOMPARE(plot->overlayOpacity(), 0.4);
    }

    // Buttons and shortcuts play exactly the engine's masked clips; the probability beside each is
    // the model's target probability on that clip.
    void listeningButtonsPlayTheEnginesSignals() {
        panel().setTopPercent(20);
        QVERIFY(waitForTf());
        QCOMPARE(panel().result()->topPercent, 20.0);
        const auto expected = engineTf(20);
        window_->activateWindow();
        const std::vector<std::pair<ListenMask, Qt::Key>> keys{{ListenMask::For, Qt::Key_F7}, {ListenMask::Against, Qt::Key_F8},
                                                               {ListenMask::Rest, Qt::Key_F9}};
        for (const auto& [kind, key] : keys) {
            const auto& engine = expected.listened(kind);
            QTest::mouseClick(panel().listenButton(kind), Qt::LeftButton);
            QVERIFY2(maxDifference(panel().lastPlayed(), engine.audio.samples) <= 1e-5 * 1,
                     qPrintable(QString::fromStdString(s4scope::signal::listenMaskName(kind))));
            panel().play(ListenMask::For == kind ? ListenMask::Rest : ListenMask::For);  // something else first
            panel().listenButton(kind)->animateClick();  // what the shortcut triggers
            QTest::qWait(200);
            QVERIFY(maxDifference(panel().lastPlayed(), engine.audio.samples) <= 1e-5);
            QCOMPARE(panel().listenButton(kind)->shortcut(), QKeySequence(key));
            const QString text = panel().probabilityLabel(kind)->text();
            QVERIFY2(text.contains(QString::number(engine.targetProbability, 'f', 3)), qPrintable(text));
        }
        // "for" + "rest" rebuild the clip.
        const auto& clip = window_->explorer()->clip().samples;
        std::vector<float> sum(clip.size());
        for (size_t i = 0; i < clip.size(); ++i)
            sum[i] = panel().result()->listened(ListenMask::For).audio.samples[i] + panel().result()->listened(ListenMask::Rest).audio.samples[i];
        QVERIFY(maxDifference(sum, clip) <= 1e-5);
    }

    void exportsTheSignalsAndTheFigure() {
        const QString wav = out_.filePath("rest.wav");
        QVERIFY(panel().exportListening(ListenMask::Rest, wav));
        const auto back = s4scope::loadAudio(wav.toStdString()).samples;
        QCOMPARE(maxDifference(back, panel().result()->listened(ListenMask::Rest).audio.samples), 0.0);
        for (const char* ext : {"png", "svg", "pdf"}) {
            const QString path = out_.filePath(QStringLiteral("tf.%1").arg(ext));
            QVERIFY(window_->exportFigure(s4scope::app::FigureTarget::TimeFrequency, path, {800, 400, 96}));
            QVERIFY(QFileInfo(path).size() > 1000);
        }
    }

    // scripts/screenshot-tf.sh: with S4SCOPE_TF_SCREENSHOT=FOLDER (under Xvfb) the window with the tab
    // shown is saved there as tf.png; otherwise nothing happens here.
    void screenshotWhenAsked() {
        const QString folder = qEnvironmentVariable("S4SCOPE_TF_SCREENSHOT");
        if (folder.isEmpty()) QSKIP("S4SCOPE_TF_SCREENSHOT not set");
        auto* tabs = window_->findChild<QTabWidget*>(QStringLiteral("viewTabs"));
        QVERIFY(tabs);
        tabs->setCurrentWidget(&panel());
        panel().opacitySlider()->setValue(85);
        QTest::qWait(800);
        QVERIFY(window_->grab().save(folder + "/tf.png"));
        QVERIFY(panel().grab().save(folder + "/tf-panel.png"));
    }

    // A new clip clears the tab until its explanation arrives.
    void newClipClearsTheTab() {
        QSignalSpy cleared(window_->explorer(), &Explorer::clipReady);
        window_->openAudio(guitest::clipPath("no"));
        QVERIFY(cleared.wait(60000));
        QVERIFY(!panel().result().has_value());
        QVERIFY(!panel().listenButton(ListenMask::For)->isEnabled());
        QVERIFY(guitest::waitForIdle(*window_));
        window_->explainCurrent();
        QVERIFY(guitest::waitForIdle(*window_));
        QTRY_VERIFY_WITH_TIMEOUT(!panel().isBusy() && panel().result().has_value(), 60000);
        QVERIFY(panel().listenButton(ListenMask::For)->isEnabled());
        QCOMPARE(panel().plot()->relevance().frames, panel().result()->relevance.frames);
    }

    void cleanupTestCase() { window_.reset(); }
};

QTEST_MAIN(TestGuiTf)
#include "test_gui_tf.moc"
