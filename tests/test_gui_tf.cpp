// The time–frequency tab of the real main window (issue 17): the overlay and the profile are the
// engine's R[f,t] for the explanation on screen, the listening buttons (and their shortcuts) play
// the engine's masked signals, the probabilities beside them are the model's on those signals, and
// the signals and the figure export. The spectrogram shows beneath the overlay (zero relevance is
// transparent, light and dark), the crosshair reads the engine's numbers, the comparison grid's TF
// rows draw the signal library's R[f,t] of each method on shared ranges, and live mode's overlay is
// the R[f,t] its worker computed.
#include <QCheckBox>
#include <QFileInfo>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QTabWidget>

#include "app/live_evaluator.h"
#include "app/live_window.h"
#include "app/method_panel.h"
#include "app/tf_panel.h"
#include "gui_test_support.h"
#include "signal/listening.h"
#include "signal/tf_comparison.h"
#include "tf/tf_explanation.h"
#include "views/comparison_plot.h"
#include "views/explanation_plot.h"
#include "views/spectrogram_layer.h"
#include "views/tf_overlay.h"
#include "views/tf_relevance_plot.h"

using s4scope::app::Explorer;
using s4scope::app::MainWindow;
using s4scope::app::TfPanel;
using s4scope::signal::ListenMask;

namespace {

// Largest |drawn - expected| over every coefficient, relative to max |expected|; the overlay must
// hold R[f,t] as computed (a copy, no rescaling).
double overlayDifference(const s4scope::views::TfOverlay& drawn, const s4scope::signal::TfRelevance& expected) {
    if (drawn.relevance().frames != expected.frames || drawn.relevance().bins != expected.bins) return INFINITY;
    double diff = 0, scale = 0;
    for (int t = 0; t < expected.frames; ++t)
        for (int f = 0; f < expected.bins; ++f) {
            diff = std::max(diff, std::abs(drawn.cell(t, f) - expected.at(t, f)));
            scale = std::max(scale, std::abs(expected.at(t, f)));
        }
    return scale > 0 ? diff / scale : diff;
}

// A mouse move over `widget` at `pos`, as the platform delivers it.
void moveMouse(QWidget* widget, QPointF pos) {
    QMouseEvent move(QEvent::MouseMove, pos, widget->mapToGlobal(pos), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
    QApplication::sendEvent(widget, &move);
}

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
            QVERIFY2(text.startsWith(QStringLiteral("p(target) %1 · logit %2").arg(engine.targetProbability, 0, 'f', 4)
                                         .arg(engine.prediction.logits[size_t(engine.target)], 0, 'f', 1)),
                     qPrintable(text));
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
        // "What speaks against" at the top 20 %: the probability beside its button is the model's on
        // the exported WAV itself (p ≈ 0.9997 on yes.wav: the bundled model still hears "yes" in the
        // 8.5 % of coefficients that speak against it, 14 % of the energy).
        QCOMPARE(panel().topPercent(), 20.0);
        const QString against = out_.filePath("against.wav");
        QVERIFY(panel().exportListening(ListenMask::Against, against));
        const auto& model = *window_->explorer()->model();
        const auto onFile = model.classify(s4scope::loadAudio(against.toStdString()).samples);
        const int64_t target = panel().result()->listened(ListenMask::Against).target;
        QVERIFY2(panel().probabilityLabel(ListenMask::Against)->text().startsWith(
                     QStringLiteral("p(target) %1 · logit %2").arg(onFile.probabilities[size_t(target)], 0, 'f', 4)
                         .arg(onFile.logits[size_t(target)], 0, 'f', 1)),
                 qPrintable(panel().probabilityLabel(ListenMask::Against)->text()));
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

    // The spectrogram is drawn beneath R[f,t]: where the relevance is (nearly) zero the overlay is
    // transparent and the pixel is the spectrogram's grey, loud cells darker than quiet ones; in the
    // dark theme quiet cells are the dark panel, not paper white.
    void spectrogramShowsBeneathTheOverlay() {
        auto* plot = panel().plot();
        const auto& spec = plot->spectrogram();
        QVERIFY(spec.frames > 10);
        QCOMPARE(plot->spectrogramCell(spec.frames / 2, 10), double(spec.at(spec.frames / 2, 10)));
        QCOMPARE(plot->overlay().colourOf(0).alpha(), 0);
        QVERIFY(plot->overlay().colourOf(plot->shownScale()).alpha() >= int(0.8 * 255 * plot->overlayOpacity()));
        QVERIFY(plot->overlay().colourOf(-plot->shownScale()).alpha() >= int(0.8 * 255 * plot->overlayOpacity()));

        // A loud and a quiet spectrogram cell where |R[f,t]| is tiny at and around them.
        auto quietRelevance = [&](double t, double hz) {
            for (double dt : {-0.01, 0.0, 0.01})
                for (double dhz : {-60.0, 0.0, 60.0}) {
                    const double v = plot->overlay().valueAt(t + dt, hz + dhz);
                    if (!std::isfinite(v) || std::abs(v) > 0.02 * plot->shownScale()) return false;
                }
            return true;
        };
        const double top = spec.maxDb();
        double loudT = -1, loudHz = 0, quietT = -1, quietHz = 0;
        for (int f = 5; f < spec.frames - 5 && (loudT < 0 || quietT < 0); ++f)
            for (int b = 8; b < spec.bins - 8; ++b) {
                const double t = spec.frameTime(f), hz = b * spec.binHz;
                if (!quietRelevance(t, hz)) continue;
                bool loud = true, quiet = true;
                for (int df = -2; df <= 2; ++df)
                    for (int db = -2; db <= 2; ++db) {
                        loud = loud && spec.at(f + df, b + db) > top - 25;
                        quiet = quiet && spec.at(f + df, b + db) < top - 75;
                    }
                if (loud && loudT < 0) loudT = t, loudHz = hz;
                if (quiet && quietT < 0) quietT = t, quietHz = hz;
            }
        QVERIFY2(loudT >= 0 && quietT >= 0, "no loud and quiet cells without relevance on the clip");
        auto pixelAt = [&](double t, double hz) {
            const QImage image = plot->toPixmap(plot->width(), plot->height(), 1.0).toImage();
            const QPointF p(plot->mapRect()->axis(QCPAxis::atBottom)->coordToPixel(t), plot->mapRect()->axis(QCPAxis::atLeft)->coordToPixel(hz));
            return image.pixelColor(p.toPoint());
        };
        plot->replot();
        const QColor loud = pixelAt(loudT, loudHz), quiet = pixelAt(quietT, quietHz);
        QVERIFY2(loud.lightness() < 140, qPrintable(QString("loud cell drawn %1: the spectrogram is hidden").arg(loud.name())));
        QVERIFY2(quiet.lightness() > 230, qPrintable(quiet.name()));
        QVERIFY2(std::abs(loud.red() - loud.blue()) < 12, qPrintable(loud.name() + " is not the spectrogram's grey"));

        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
        dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
        dark.setColor(QPalette::WindowText, QColor(0xe0, 0xe0, 0xe0));
        dark.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
        plot->setPalette(dark);
        QVERIFY(plot->theme().isDark());
        plot->replot();
        const QColor darkLoud = pixelAt(loudT, loudHz), darkQuiet = pixelAt(quietT, quietHz);
        QVERIFY2(darkQuiet.lightness() < 60, qPrintable(darkQuiet.name()));
        QVERIFY2(darkLoud.lightness() > 110, qPrintable(darkLoud.name()));
        QCOMPARE(plot->overlay().colourOf(0).alpha(), 0);
        plot->setPalette(QPalette());
        plot->replot();
    }

    // The crosshair over the map reads the time, the frequency, the spectrogram's dB and the
    // engine's R[f,t] at that point.
    void crosshairReadsTheEnginesNumbers() {
        auto* tabs = window_->findChild<QTabWidget*>(QStringLiteral("viewTabs"));
        tabs->setCurrentWidget(&panel());
        auto* plot = panel().plot();
        plot->replot();
        const auto expected = engineTf(panel().topPercent());
        QSignalSpy readouts(plot, &s4scope::views::TfRelevancePlot::readoutChanged);
        const double t = 0.43, hz = 600;
        const QPointF at(plot->mapRect()->axis(QCPAxis::atBottom)->coordToPixel(t), plot->mapRect()->axis(QCPAxis::atLeft)->coordToPixel(hz));
        moveMouse(plot, at);
        QVERIFY(!readouts.isEmpty());
        const QString text = readouts.last().first().toString();
        const double tShown = plot->mapRect()->axis(QCPAxis::atBottom)->pixelToCoord(at.x());
        const double hzShown = plot->mapRect()->axis(QCPAxis::atLeft)->pixelToCoord(at.y());
        const auto& r = expected.relevance;
        const int frame = int(std::lround((tShown * r.sampleRate - double(r.firstStart) - 0.5 * r.windowSamples) / r.hopSamples));
        const int bin = int(std::lround(hzShown * r.fftSize / r.sampleRate));
        const auto& spec = plot->spectrogram();
        const float db = spec.at(int(std::lround(tShown * spec.sampleRate / spec.hopSamples)), int(std::lround(hzShown / spec.binHz)));
        QVERIFY2(text.contains(QStringLiteral("t %1 s").arg(tShown, 0, 'f', 3)), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("f %1 Hz").arg(hzShown, 0, 'f', 0)), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("%1 dB").arg(db, 0, 'f', 1)), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("R[f,t] %1").arg(r.at(frame, bin), 0, 'g', 3)),
                 qPrintable(text + QStringLiteral(" (engine %1)").arg(r.at(frame, bin))));
        QEvent leave(QEvent::Leave);
        QApplication::sendEvent(plot, &leave);
        QVERIFY(readouts.last().first().toString().isEmpty());
    }

    // One TF row per compared method, drawing the signal library's R[f,t] of the engine's relevance
    // for that method; shared colour ranges (the largest of the methods' own) when the scale is
    // shared, each its own otherwise; the row's crosshair reads R[f,t]; the figure exports.
    void comparisonGridHasTimeFrequencyRows() {
        auto* rows = window_->findChild<QCheckBox*>(QStringLiteral("tfRowsCheck"));
        QVERIFY(rows);
        QCOMPARE(QFileInfo(window_->explorer()->clip().path).fileName(), QStringLiteral("yes.wav"));
        QVERIFY(guitest::waitForIdle(*window_));
        rows->setChecked(true);
        const QStringList methods{"lrp_epsilon", "gradient_x_input", "gradient"};
        QSignalSpy compared(window_->explorer(), &Explorer::comparisonReady);
        window_->compare(methods);
        QVERIFY(compared.wait(60000));
        auto* grid = window_->comparisonPlot();
        QCOMPARE(grid->mapCount(), 3);
        QCOMPARE(grid->tfRowCount(), 3);
        QCOMPARE(grid->rowCount(), 6);  // each method's row and its TF row
        const auto& model = *window_->explorer()->model();
        const auto& clip = window_->explorer()->clip().samples;
        std::vector<s4scope::signal::TfRelevance> expected;
        double shared = 0;
        for (int i = 0; i < methods.size(); ++i) {
            s4scope::ExplainRequest request;
            request.method = methods[i].toStdString();
            const auto e = guitest::engineExplanation(model, guitest::clipPath("yes"), request);
            QCOMPARE(window_->explorer()->comparison()[size_t(i)].method, request.method);
            expected.push_back(s4scope::signal::timeFrequencyRelevance(clip, e.relevance, model.config().sample_rate));
            shared = std::max(shared, s4scope::signal::robustScale(expected.back()));
            const auto* drawn = grid->tfOverlay(i);
            QVERIFY(drawn);
            const double diff = overlayDifference(*drawn, expected.back());
            QVERIFY2(diff <= 1e-5, qPrintable(QStringLiteral("%1: TF row differs by %2 of max |R|").arg(methods[i]).arg(diff)));
            QVERIFY2(grid->tfRowHeader(i).startsWith(grid->mapName(i)) && grid->tfRowHeader(i).contains("ΣR[f,t] / ΣR[n]"),
                     qPrintable(grid->tfRowHeader(i)));
        }
        // The "shared scale" check decides for the TF rows as for the waveform rows (its default is
        // each method on its own: methods' relevance comes in different units).
        auto* sharedCheck = window_->findChild<QCheckBox*>(QStringLiteral("sharedScaleCheck"));
        const bool sharedBefore = sharedCheck->isChecked();
        sharedCheck->setChecked(true);
        QVERIFY(grid->sharedScale());
        for (int i = 0; i < 3; ++i)
            QVERIFY2(std::abs(grid->tfAppliedScale(i) - shared) <= 1e-9 * shared,
                     qPrintable(QStringLiteral("row %1: %2, shared %3").arg(i).arg(grid->tfAppliedScale(i)).arg(shared)));
        sharedCheck->setChecked(false);
        QVERIFY(!grid->sharedScale());
        for (int i = 0; i < 3; ++i) {
            const double own = s4scope::signal::robustScale(expected[size_t(i)]);
            QVERIFY2(std::abs(grid->tfAppliedScale(i) - own) <= 1e-9 * own, qPrintable(methods[i]));
        }
        QVERIFY(grid->tfAppliedScale(0) != grid->tfAppliedScale(2));  // LRP-ε and the gradient differ in units
        sharedCheck->setChecked(sharedBefore);

        // The crosshair over the second TF row (rows: 0 LRP-ε, 1 its TF, 2 gradient × input, 3 its TF).
        QSignalSpy readouts(grid, &s4scope::views::ComparisonPlot::readoutChanged);
        grid->replot();
        QCPAxisRect* tfRect = grid->rowRect(3);
        moveMouse(grid, QPointF(tfRect->axis(QCPAxis::atBottom)->coordToPixel(0.45), tfRect->axis(QCPAxis::atLeft)->coordToPixel(700)));
        QVERIFY(!readouts.isEmpty());
        const QString text = readouts.last().first().toString();
        QVERIFY2(text.startsWith(grid->mapName(1)) && text.contains(" Hz") && text.contains(" dB") && text.contains("R[f,t]"), qPrintable(text));

        for (const char* ext : {"png", "pdf"}) {
            const QString path = out_.filePath(QStringLiteral("comparison-tf.%1").arg(ext));
            QVERIFY(window_->exportFigure(s4scope::app::FigureTarget::Comparison, path, {900, 900, 96}));
            QVERIFY(QFileInfo(path).size() > 10000);
        }
        if (const QString folder = qEnvironmentVariable("S4SCOPE_TF_SCREENSHOT"); !folder.isEmpty()) {
            auto* tabs = window_->findChild<QTabWidget*>(QStringLiteral("viewTabs"));
            tabs->setCurrentWidget(tabs->widget(1));
            QTest::qWait(800);
            QVERIFY(window_->grab().save(folder + "/comparison-tf.png"));
        }

        // Turned off, the grid is the methods' rows again; on again, the rows come back without a
        // new comparison (R[f,t] kept with it).
        rows->setChecked(false);
        QCOMPARE(grid->tfRowCount(), 0);
        QCOMPARE(grid->rowCount(), 3);
        rows->setChecked(true);
        QCOMPARE(grid->tfRowCount(), 3);
        rows->setChecked(false);
    }

    // Live mode's option: the evaluator's worker computes R[f,t] of the method's relevance with the
    // window, and the live window draws exactly that over its spectrogram; off, nothing is computed.
    void liveModeDrawsTheWorkersTimeFrequencyRelevance() {
        auto model = window_->explorer()->model();
        s4scope::app::LiveWindow live(model);
        live.setTimeFrequency(true);
        QVERIFY(live.timeFrequency());
        s4scope::app::LiveFrame frame;
        frame.samples = window_->explorer()->clip().samples;
        frame.method = "lrp_epsilon";
        frame.speech = true;
        frame.clock = 16000;
        frame.timeFrequency = true;
        std::vector<s4scope::app::LiveResult> results;
        connect(live.evaluator(), &s4scope::app::LiveEvaluator::evaluated, this,
                [&results](const s4scope::app::LiveResult& r) { results.push_back(r); });
        QSignalSpy evaluated(live.evaluator(), &s4scope::app::LiveEvaluator::evaluated);
        live.evaluator()->submit(frame);
        QVERIFY(evaluated.wait(30000));
        QCOMPARE(results.size(), size_t(1));
        const auto result = results.back();
        QVERIFY(result.error.isEmpty());
        s4scope::ExplainRequest request;
        request.method = "lrp_epsilon";
        const auto engine = s4scope::explain(*model, frame.samples, request);
        QVERIFY(guitest::relativeDifference(result.relevance, engine.relevance) <= 1e-6);
        const auto expected = s4scope::signal::timeFrequencyRelevance(frame.samples, result.relevance, model->config().sample_rate);
        QCOMPARE(result.tf.frames, expected.frames);
        QCOMPARE(result.tf.values, expected.values);  // the same computation, bit for bit
        QCOMPARE(result.tfScale, s4scope::signal::robustScale(expected));
        QVERIFY(result.tfMs > 0);

        live.showResult(result);
        auto* layer = live.plot()->spectrogram();
        QVERIFY(layer->hasRelevanceOverlay());
        QVERIFY(overlayDifference(*layer->relevanceOverlay(), expected) == 0);
        QCOMPARE(layer->relevanceOverlay()->scale(), result.tfScale);
        QVERIFY(layer->readout(0.45, 700).contains("R[f,t]"));
        // The spectrogram beneath turns grey while the overlay shows (red and blue are relevance only).
        const QColor loud = layer->relevanceOverlay() ? QColor(layer->colourMap()->gradient().colorStops().last()) : QColor();
        QVERIFY2(loud.isValid() && std::abs(loud.red() - loud.blue()) < 8, qPrintable(loud.name()));

        frame.timeFrequency = false;
        live.evaluator()->submit(frame);
        QVERIFY(evaluated.wait(30000));
        const auto plain = results.back();
        QCOMPARE(plain.tf.frames, 0);
        live.showResult(plain);
        QVERIFY(!layer->hasRelevanceOverlay());
        QVERIFY(!layer->readout(0.45, 700).contains("R[f,t]"));
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
