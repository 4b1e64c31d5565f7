// Live microphone mode against a real audio server. The suite starts its own PulseAudio daemon
// (runtime folder in a temporary directory) with a null sink `s4test` and a source `s4mic` remapped
// from its monitor (Qt's PulseAudio backend does not list raw monitor sources), points Qt Multimedia
// at it before the QApplication exists, plays synthesised keywords with silences between them into
// the sink with paplay, and checks that live mode, recording from s4mic, shows the keywords in order
// with "no speech" in the gaps, at a measured update rate and latency, with one replot per result
// and bounds on the GUI thread's CPU time per update (drawing a result, and all its work). Then:
// stale windows are dropped, Freeze reaches the explorer, and a missing microphone, an unopenable
// format and a device that disappears while recording give messages, not crashes.
#include <QApplication>
#include <QAudioDevice>
#include <QFile>
#include <QMediaDevices>
#include <QProcess>
#include <QScreen>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <ctime>
#include <cstdlib>
#include <map>
#include <thread>

#include <sys/types.h>
#include <unistd.h>

#include "app/live_capture.h"
#include "app/live_evaluator.h"
#include "app/live_history.h"
#include "app/live_window.h"
#include "views/explanation_plot.h"
#include "gui_test_support.h"
#include "pulse_server.h"
#include "s4scope/runtime.h"

using namespace s4scope;
using namespace s4scope::app;

namespace {

PulseServer* pulse = nullptr;

std::vector<float> clipSamples(const QString& word) {
    AudioLoadOptions options;
    options.sampleRate = 16000;
    options.length = 16000;
    return loadAudio(guitest::clipPath(word).toStdString(), options).samples;
}

struct Segment {
    bool speech;
    int updates;
    QString label;  // the keyword shown most, weighted by its confidence (speech segments)
};

// Collapses the stream of shown results into speech / no-speech segments.
std::vector<Segment> segments(const std::vector<LiveShown>& shown) {
    std::vector<Segment> out;
    std::map<QString, double> counts;
    auto close = [&] {
        if (out.empty() || !out.back().speech) return;
        double best = 0;
        for (const auto& [label, n] : counts)
            if (n > best) best = n, out.back().label = label;
        counts.clear();
    };
    for (const LiveShown& s : shown) {
        if (out.empty() || out.back().speech != s.speech) {
            close();
            out.push_back({s.speech, 0, {}});
        }
        ++out.back().updates;
        if (s.speech) counts[s.label] += s.confidence;
    }
    close();
    return out;
}

// CPU time of the calling thread, ms.
double threadCpuMs() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

double percentile(std::vector<double> v, double q) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(q * double(v.size())))];
}

}  // namespace

class TestGuiLive : public QObject {
    Q_OBJECT
    std::shared_ptr<const Model> model_;
    QAudioDevice mic_;
    QTemporaryDir dir_;
    QStringList words_;

    bool playInBackground(const std::vector<float>& samples, QProcess& player) {
        const QString path = dir_.filePath(QStringLiteral("stimulus-%1.wav").arg(QRandomGenerator::global()->generate()));
        writeWav(path.toStdString(), samples, 16000);
        player.start(QStringLiteral("paplay"), {QStringLiteral("--device=s4test"), path});
        return player.waitForStarted(5000);
    }

private slots:
    void initTestCase() {
        guitest::isolateSettings(dir_);
        if (!pulse->running()) {
            // Only when the daemon cannot run here at all: the reason is in the message.
            QSKIP(qPrintable(QStringLiteral("no PulseAudio server: ") + pulse->error()));
        }
        model_ = std::make_shared<const Model>(Model::load(S4SCOPE_SOURCE_DIR "/resources/models/s4_kws_config.json"));
        mic_ = findInput(QStringLiteral("s4mic"));
        QVERIFY2(!mic_.isNull(), qPrintable(QStringLiteral("s4mic not listed; inputs: %1; pactl: %2")
                                                .arg(QMediaDevices::audioInputs().size())
                                                .arg(pactl({QStringLiteral("list"), QStringLiteral("short"), QStringLiteral("sources")}))));
        // The keywords to speak: those the bundled model gets right on the bundled clips offline.
        for (const QString w : {"left", "off", "stop", "yes", "down", "on", "up", "right", "go", "no"}) {
            if (words_.size() == 5) break;
            if (QString::fromStdString(model_->classify(clipSamples(w)).label) == w) words_ << w;
        }
        QVERIFY2(words_.size() >= 3, "the bundled model recognises fewer than three bundled clips");
        qInfo() << "device" << mic_.description() << "preferred format" << mic_.preferredFormat();
    }

    void detectsKeywordsInOrderWithNoSpeechBetween() {
        LiveWindow live(model_);
        live.show();
        live.setUpdatesPerSecond(20);
        std::vector<LiveShown> shown;
        connect(&live, &LiveWindow::shown, this, [&](const LiveShown& s) { shown.push_back(s); });
        int replots = 0;  // of the live plot, while the keywords play
        connect(live.plot(), &QCustomPlot::afterReplot, this, [&] { ++replots; });
        // A probe on the GUI thread: the longest time the event loop was unavailable.
        QElapsedTimer probeClock;
        qint64 lastProbe = 0, worstGapMs = 0;
        QTimer probe;
        probe.setInterval(5);
        connect(&probe, &QTimer::timeout, this, [&] {
            const qint64 now = probeClock.elapsed();
            if (lastProbe > 0) worstGapMs = std::max(worstGapMs, now - lastProbe);
            lastProbe = now;
        });

        QVERIFY2(live.startRecording(mic_), qPrintable(live.message()));
        QCOMPARE(live.capture()->format().sampleRate(), mic_.preferredFormat().sampleRate());  // native format
        QTRY_VERIFY_WITH_TIMEOUT(shown.size() > 5, 10000);

        std::vector<float> stimulus(size_t(16000 * 1.2), 0.f);
        for (const QString& w : words_) {
            const std::vector<float> clip = clipSamples(w);
            stimulus.insert(stimulus.end(), clip.begin(), clip.end());
            stimulus.insert(stimulus.end(), size_t(16000 * 1.6), 0.f);
        }
        shown.clear();
        replots = 0;
        probeClock.start();
        probe.start();
        const double guiCpuStart = threadCpuMs();
        QProcess player;
        QElapsedTimer wall;
        wall.start();
        QVERIFY(playInBackground(stimulus, player));
        QTRY_VERIFY_WITH_TIMEOUT(player.state() == QProcess::NotRunning, 60000);
        QCOMPARE(player.exitCode(), 0);
        QTest::qWait(1200);
        probe.stop();
        const double seconds = wall.elapsed() / 1000.0;
        const double guiCpuMs = threadCpuMs() - guiCpuStart;  // everything the GUI thread did meanwhile
        const int replotsWhilePlaying = replots;
        live.stopRecording();

        std::vector<double> latencies, drawMs, drawCpuMs;
        for (const LiveShown& s : shown) {
            latencies.push_back(s.latencyMs);
            drawMs.push_back(s.drawMs);
            drawCpuMs.push_back(s.drawCpuMs);
        }
        const double rate = double(shown.size()) / seconds;
        const double medianLatency = percentile(latencies, 0.5), p95Latency = percentile(latencies, 0.95);
        qInfo("%zu updates in %.1f s: %.1f updates/s; latency median %.1f ms, 95th percentile %.1f ms; "
              "dropped %lld of %lld windows; most in flight %d; GUI thread's longest gap %lld ms",
              shown.size(), seconds, rate, medianLatency, p95Latency, live.evaluator()->dropped(),
              live.evaluator()->submitted(), live.evaluator()->maxBacklog(), worstGapMs);
        // The GUI thread's time to draw each result (everything an update paints, in one pass):
        // wall clock, and its CPU time, which leaves out the waits for a core on a loaded machine.
        const double medianDraw = percentile(drawMs, 0.5), p95Draw = percentile(drawMs, 0.95);
        const double medianDrawCpu = percentile(drawCpuMs, 0.5), p95DrawCpu = percentile(drawCpuMs, 0.95);
        qInfo("drawing a result on the GUI thread: median %.1f ms, 95th percentile %.1f ms, max %.1f ms; "
              "its CPU time: median %.1f ms, 95th percentile %.1f ms, max %.1f ms; "
              "the GUI thread was busy %.1f%% of the time (%.2f ms CPU per update, audio capture included); %d replots",
              medianDraw, p95Draw, percentile(drawMs, 1.0), medianDrawCpu, p95DrawCpu, percentile(drawCpuMs, 1.0),
              100.0 * guiCpuMs / (seconds * 1000), guiCpuMs / double(shown.size()), replotsWhilePlaying);

        // Segments of speech (keyword shown) and of silence ("no speech"), ignoring blips.
        std::vector<Segment> all = segments(shown);
        QStringList detected, trace;
        int gaps = 0;
        for (const Segment& s : all) {
            trace << QStringLiteral("%1×%2").arg(s.speech ? s.label : QStringLiteral("no speech")).arg(s.updates);
            if (s.updates < 3) continue;
            if (s.speech) detected << s.label;
            else ++gaps;
        }
        qInfo() << "played" << words_ << "shown" << trace.join(QStringLiteral(", "));
        QCOMPARE(detected, words_);
        QVERIFY2(gaps >= words_.size(), "\"no speech\" must show before, between and after the keywords");
        QVERIFY(!all.front().speech && !all.back().speech);
        QCOMPARE(live.displayText(), QStringLiteral("not listening"));

        QVERIFY2(rate >= 10, qPrintable(QStringLiteral("update rate %1/s").arg(rate)));
        QVERIFY2(medianLatency < 250, qPrintable(QStringLiteral("median latency %1 ms").arg(medianLatency)));
        QVERIFY(live.evaluator()->maxBacklog() <= 2);  // one computing, at most one waiting
        QVERIFY2(worstGapMs < 250, qPrintable(QStringLiteral("GUI thread unavailable for %1 ms").arg(worstGapMs)));
        // One full replot per result: each used to queue a second one, which ran after it (618
        // replots for 309 results), unseen by the drawing time measured around the first.
        QVERIFY2(replotsWhilePlaying <= int(shown.size()) + 2,
                 qPrintable(QStringLiteral("%1 replots for %2 results").arg(replotsWhilePlaying).arg(shown.size())));
        // Drawing cost per update, as CPU time: wall-clock times on this shared 2-core machine mostly
        // measure who else wants the cores (with the cores oversubscribed the median drawing time went
        // to 19 ms while its CPU time stayed at 5.6 ms). Measured here, from a quiet machine to both
        // cores busy with other work: 4.7-6.4 ms CPU to draw a result (median) and 5.9-8.2 ms for all
        // the GUI thread's work per update (9.7-14 ms with the drawing before one replot per update).
        QVERIFY2(medianDrawCpu < 9, qPrintable(QStringLiteral("drawing a result takes %1 ms of CPU (median)").arg(medianDrawCpu)));
        QVERIFY2(guiCpuMs / double(shown.size()) < 10,
                 qPrintable(QStringLiteral("the GUI thread spends %1 ms of CPU per update").arg(guiCpuMs / double(shown.size()))));
    }

    void staleWindowsAreDroppedNotQueued() {
        LiveEvaluator evaluator;
        evaluator.setModel(model_);
        std::vector<LiveResult> results;
        connect(&evaluator, &LiveEvaluator::evaluated, this, [&](const LiveResult& r) { results.push_back(r); });
        const std::vector<float> clip = clipSamples(words_.front());
        for (int i = 1; i <= 50; ++i) {
            evaluator.submit({clip, qint64(i), true, "lrp_epsilon"});
            QVERIFY(evaluator.waiting() <= 1);
        }
        QTRY_VERIFY_WITH_TIMEOUT(!evaluator.isBusy(), 20000);
        QVERIFY(evaluator.maxBacklog() <= 2);
        QCOMPARE(results.back().clock, qint64(50));  // the newest window is always evaluated
        QCOMPARE(qint64(results.size()) + evaluator.dropped(), qint64(50));
        QVERIFY(results.size() <= 3);
        QCOMPARE(QString::fromStdString(results.back().prediction.label), words_.front());
        QCOMPARE(results.back().relevance.size(), size_t(16000));
    }

    void freezeTakesTheSecondIntoTheExplorer() {
        MainWindow window;
        QVERIFY(guitest::waitForModel(window));
        window.show();
        window.showLive();  // File > Live microphone (Ctrl+L): listens to the default input, s4mic
        LiveWindow* live = window.liveWindow();
        QVERIFY(live && live->isVisible());
        QVERIFY2(live->isRecording(), qPrintable(live->message()));
        const QString word = words_.front();
        bool heard = false;
        connect(live, &LiveWindow::shown, this, [&](const LiveShown& s) { heard = heard || (s.speech && s.label == word); });
        QProcess player;
        std::vector<float> stimulus = clipSamples(word);
        stimulus.insert(stimulus.end(), 8000, 0.f);
        QVERIFY(playInBackground(stimulus, player));
        QTRY_VERIFY_WITH_TIMEOUT(heard, 10000);
        QSignalSpy predicted(window.explorer(), &Explorer::predictionReady);
        live->freeze();
        QVERIFY(predicted.wait(30000));
        QVERIFY(window.explorer()->clip().path.contains(QStringLiteral("live-")));
        QCOMPARE(window.explorer()->clip().samples.size(), size_t(16000));
        qInfo() << "frozen second classified as" << QString::fromStdString(window.explorer()->prediction()->label);
        player.waitForFinished(5000);
        live->close();
        QVERIFY(!live->isRecording());
    }

    void gateThresholdDecidesWhatIsSpeech() {
        LiveWindow live(model_);
        std::vector<LiveShown> shown;
        connect(&live, &LiveWindow::shown, this, [&](const LiveShown& s) { shown.push_back(s); });
        live.setThresholdDb(-1);  // nothing synthesised here is that loud
        QVERIFY2(live.startRecording(mic_), qPrintable(live.message()));
        QProcess player;
        std::vector<float> stimulus = clipSamples(words_.front());
        stimulus.insert(stimulus.end(), 4000, 0.f);
        QVERIFY(playInBackground(stimulus, player));
        QTRY_VERIFY_WITH_TIMEOUT(player.state() == QProcess::NotRunning, 10000);
        QTest::qWait(300);
        QVERIFY(shown.size() > 10);
        for (const LiveShown& s : shown) QVERIFY(!s.speech && s.label.isEmpty());
        QCOMPARE(live.displayText(), QStringLiteral("no speech"));
        live.setThresholdDb(-45);  // the default again: the same word is heard
        shown.clear();
        QVERIFY(playInBackground(stimulus, player));
        QTRY_VERIFY_WITH_TIMEOUT(player.state() == QProcess::NotRunning, 10000);
        QTest::qWait(300);
        QVERIFY(std::any_of(shown.begin(), shown.end(), [&](const LiveShown& s) { return s.speech && s.label == words_.front(); }));
        live.stopRecording();
    }

    // Stop -> Start: the gate does not carry the old stream's speech into the new one (its clock
    // starts again at 0: a word heard at 2 s kept the gate open for the first 2 s), results computed
    // for the old recording are not drawn, and the measured rate never exceeds the rate asked for.
    void gateHoldsRightAfterRestart() {
        LiveWindow live(model_);
        live.setUpdatesPerSecond(20);
        std::vector<LiveShown> shown;
        double worstRate = 0;
        connect(&live, &LiveWindow::shown, this, [&](const LiveShown& s) {
            shown.push_back(s);
            worstRate = std::max(worstRate, live.updateRate());
        });
        QVERIFY2(live.startRecording(mic_), qPrintable(live.message()));
        QProcess player;
        std::vector<float> stimulus(32000, 0.f);  // 2 s of silence, then a keyword
        const std::vector<float> word = clipSamples(words_.front());
        stimulus.insert(stimulus.end(), word.begin(), word.end());
        QVERIFY(playInBackground(stimulus, player));
        QTRY_VERIFY_WITH_TIMEOUT(player.state() == QProcess::NotRunning, 15000);
        QTest::qWait(200);
        qint64 lastSpeech = -1;
        for (const LiveShown& s : shown)
            if (s.speech) lastSpeech = s.clock;
        QVERIFY2(lastSpeech > 32000, "the keyword was not heard late in the first recording");
        live.stopRecording();
        shown.clear();
        worstRate = 0;
        QVERIFY2(live.startRecording(mic_), qPrintable(live.message()));  // nothing plays now: silence
        // The first results of the new stream (its first 2 s are where the old gate leaked): waited
        // for rather than timed, since a loaded host delivers them late.
        QTRY_VERIFY2_WITH_TIMEOUT(shown.size() > 10, qPrintable(QString("%1 results").arg(shown.size())), 15000);
        for (const LiveShown& s : shown)
            QVERIFY2(!s.speech, qPrintable(QString("speech shown at clock %1 after the restart").arg(s.clock)));
        QVERIFY2(shown.front().clock < 16000, "a result of the previous recording was drawn after the restart");
        QCOMPARE(live.displayText(), QStringLiteral("no speech"));
        QVERIFY2(worstRate <= 21.0, qPrintable(QString("rate read %1/s with Rate 20").arg(worstRate)));
        QTRY_VERIFY_WITH_TIMEOUT(live.updateRate() > 5, 10000);  // and it is measured (over at least 1 s of draws)
        live.stopRecording();
    }

    // 1100 x 760 does not fit every screen (the offscreen one is 800 x 800): the window shrinks
    // and moves into the screen's free area, as far as its content's minimum size allows (938 px
    // wide here: wider than this screen, narrower than any 1080-line one, the defect's case).
    void liveWindowFitsOnItsScreen() {
        LiveWindow live(model_);
        live.show();
        QVERIFY(QTest::qWaitForWindowExposed(&live));
        const QRect free = live.screen()->availableGeometry();
        const QRect frame = live.frameGeometry();
        const int narrowest = live.minimumSizeHint().width() + (frame.width() - live.width());
        const bool fitsAcross = frame.left() >= free.left() && (frame.right() <= free.right() || frame.width() <= narrowest);
        const bool fitsDown = frame.top() >= free.top() && frame.bottom() <= free.bottom();
        QVERIFY2(fitsAcross && fitsDown,
                 qPrintable(QString("window %1,%2 %3x%4 on a screen of %5x%6").arg(live.frameGeometry().x()).arg(live.frameGeometry().y())
                                .arg(live.frameGeometry().width()).arg(live.frameGeometry().height()).arg(free.width()).arg(free.height())));
    }

    void noMicrophoneIsAMessage() {
        LiveWindow live(model_);
        QSignalSpy failed(&live, &LiveWindow::failed);
        QVERIFY(!live.capture()->start(QAudioDevice()));
        QCOMPARE(failed.size(), 1);
        QVERIFY2(live.message().contains(QStringLiteral("No microphone")), qPrintable(live.message()));
        QVERIFY(!live.isRecording());
    }

    void unopenableFormatIsAMessage() {
        LiveWindow live(model_);
        QAudioFormat bad;
        bad.setSampleRate(16000);
        bad.setChannelCount(1);
        bad.setSampleFormat(QAudioFormat::Unknown);
        QVERIFY(!live.startRecording(mic_, bad));
        QVERIFY2(live.message().contains(QStringLiteral("cannot be opened")), qPrintable(live.message()));
        QVERIFY(!live.isRecording());
        QVERIFY2(live.startRecording(mic_), qPrintable(live.message()));  // the native format still works
        live.stopRecording();
    }

    void deviceDisappearingWhileRecordingIsAMessage() {
        LiveWindow live(model_);
        int results = 0;
        connect(&live, &LiveWindow::shown, this, [&] { ++results; });
        // Sound in the sink while the first results come: an idle null sink's monitor may deliver
        // nothing for the watchdog's two seconds (seen once in CI: 0 results, recording stopped).
        QProcess player;
        QVERIFY(playInBackground(std::vector<float>(16000 * 8, 0.01f), player));
        QVERIFY2(live.startRecording(mic_), qPrintable(live.message()));
        QTRY_VERIFY2_WITH_TIMEOUT(results > 3, qPrintable(QStringLiteral("%1 results; recording: %2; message: %3").arg(results).arg(live.isRecording()).arg(live.message())), 10000);
        QSignalSpy failed(&live, &LiveWindow::failed);
        const QString out = pactl({QStringLiteral("unload-module"), QStringLiteral("module-remap-source")});
        QVERIFY2(failed.wait(10000), qPrintable(QStringLiteral("no message after unloading s4mic (pactl: %1)").arg(out)));
        qInfo() << "message:" << live.message();
        QVERIFY(live.message().contains(QStringLiteral("s4mic")) || live.message().contains(QStringLiteral("stopped"))
                || live.message().contains(QStringLiteral("disappeared")));
        QVERIFY(!live.isRecording());
        QCOMPARE(live.displayText(), QStringLiteral("not listening"));
        QTest::qWait(300);  // no late callbacks into a stopped capture
        // The source comes back: recording starts again.
        pactl({QStringLiteral("load-module"), QStringLiteral("module-remap-source"), QStringLiteral("master=s4test.monitor"),
               QStringLiteral("source_name=s4mic")});
        const QAudioDevice again = findInput(QStringLiteral("s4mic"));
        QVERIFY(!again.isNull());
        QVERIFY2(live.startRecording(again), qPrintable(live.message()));
        live.stopRecording();
    }
};

int main(int argc, char** argv) { return runWithPulseServer<TestGuiLive>(argc, argv, pulse); }

#include "test_gui_live.moc"
