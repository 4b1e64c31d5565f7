// s4scope-bench-gui: the time of one redraw of the explanation view (waveform + spectrogram +
// relevance overlay) on the offscreen platform, with new data each time as in live mode, and of one
// update of the live window as its GUI thread does it (waveform, spectrogram, relevance, history
// strip and labels, everything painted), over a stream of keywords and silences.
// Writes {"redraw ...": {"median_ms", "min_ms", "reps"}} to --out (the live case adds "max_ms").
#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "app/live_evaluator.h"
#include "app/live_history.h"
#include "app/live_window.h"
#include "s4scope/audio_io.h"
#include "views/explanation_plot.h"
#include "signal/spectrogram.h"

namespace {

QJsonObject timing(std::vector<double> ms) {
    std::sort(ms.begin(), ms.end());
    return {{"median_ms", ms[ms.size() / 2]}, {"min_ms", ms.front()}, {"reps", int(ms.size())}};
}

QJsonObject timingWithWorst(const std::vector<double>& ms) {
    QJsonObject t = timing(ms);
    t["max_ms"] = *std::max_element(ms.begin(), ms.end());
    return t;
}

// What the live evaluator hands the GUI thread 20 times a second: the newest second of a stream of
// keywords with silences between them (low noise, as a microphone has), its spectrogram (computed
// on the worker), a relevance map and a prediction.
std::vector<s4scope::app::LiveResult> liveStream(int updates) {
    std::vector<float> stream(16000, 0.f);
    const char* words[] = {"yes", "no", "left", "stop", "down", "up"};
    for (const char* w : words) {
        const auto clip = s4scope::loadAudio(std::string(S4SCOPE_SOURCE_DIR "/resources/clips/") + w + ".wav").samples;
        stream.insert(stream.end(), clip.begin(), clip.end());
        stream.insert(stream.end(), 9600, 0.f);
    }
    uint32_t seed = 1;
    for (float& v : stream) {
        seed = seed * 1664525u + 1013904223u;
        v += 2e-3f * (float(seed >> 8) / float(1 << 24) - 0.5f);
    }
    std::vector<s4scope::app::LiveResult> out;
    for (int i = 0; i < updates; ++i) {
        const size_t end = 16000 + size_t(i) * 800 % (stream.size() - 16000);
        s4scope::app::LiveResult r;
        r.clock = qint64(end);
        r.samples.assign(stream.begin() + long(end) - 16000, stream.begin() + long(end));
        double energy = 0;
        for (size_t k = 16000 - 1600; k < 16000; ++k) energy += double(r.samples[k]) * r.samples[k];
        r.speech = 10 * std::log10(energy / 1600 + 1e-12) > -45;
        r.spectrogram = s4scope::signal::computeSpectrogram(r.samples, 16000);
        r.relevance.resize(16000);
        for (size_t k = 0; k < 16000; ++k) r.relevance[k] = r.samples[k] * std::sin(0.002f * float(k + end));
        r.prediction.classIndex = (i / 20) % 10;
        r.prediction.label = words[(i / 20) % 6];
        r.prediction.probability = 0.9f;
        r.computeMs = 8;
        out.push_back(std::move(r));
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM", qgetenv("QT_QPA_PLATFORM").isEmpty() ? "offscreen" : qgetenv("QT_QPA_PLATFORM"));
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int outAt = args.indexOf("--out");
    const QString out = outAt > 0 && outAt + 1 < args.size() ? args[outAt + 1] : "bench-gui.json";
    const int liveUpdates = args.contains("--live-only") ? 2000 : 200;  // --live-only: a longer live run alone, for profiling

    const auto clip = s4scope::loadAudio(S4SCOPE_SOURCE_DIR "/resources/clips/yes.wav").samples;
    std::vector<float> relevance(clip.size());
    for (size_t i = 0; i < clip.size(); ++i) relevance[i] = clip[i] * std::sin(0.001f * float(i));

    s4scope::views::ExplanationPlot plot;
    plot.resize(1400, 800);
    plot.show();
    app.processEvents();

    std::vector<double> full, replotOnly;
    for (int i = 0; i < (args.contains("--live-only") ? 1 : 40); ++i) {
        std::rotate(relevance.begin(), relevance.begin() + 1600, relevance.end());  // new data, as live mode sends
        QElapsedTimer t;
        t.start();
        plot.setClip(clip, 16000, s4scope::signal::computeSpectrogram(clip, 16000));  // as before: the spectrogram is timed too
        plot.setRelevance(relevance);
        plot.replot(QCustomPlot::rpImmediateRefresh);
        full.push_back(t.nsecsElapsed() / 1e6);
        t.restart();
        plot.replot(QCustomPlot::rpImmediateRefresh);
        replotOnly.push_back(t.nsecsElapsed() / 1e6);
    }
    plot.hide();

    // Live mode: the live window (its real size) draws each result; the time runs until every paint
    // it caused is done (queued replots and widget repaints included).
    s4scope::app::LiveWindow live(nullptr);
    live.history()->setLabels({"yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go"});
    live.show();
    app.processEvents();
    const std::vector<s4scope::app::LiveResult> stream = liveStream(liveUpdates);
    std::vector<double> liveUpdate, liveUpdateCpu;
    double cpuMs = 0;
    QObject::connect(&live, &s4scope::app::LiveWindow::shown, [&](const s4scope::app::LiveShown& s) { cpuMs = s.drawCpuMs; });
    for (size_t i = 0; i < stream.size(); ++i) {
        QElapsedTimer t;
        t.start();
        live.showResult(stream[i]);
        for (int k = 0; k < 3; ++k) app.processEvents();
        if (i < 20) continue;  // after the history strip has filled a little
        liveUpdate.push_back(t.nsecsElapsed() / 1e6);
        liveUpdateCpu.push_back(cpuMs);  // the GUI thread's CPU time for it: less noisy on a shared machine
    }

    const QJsonObject results{{"redraw: new clip + relevance, waveform + spectrogram + overlay", timing(full)},
                              {"redraw: replot only (pan, zoom, playhead)", timing(replotOnly)},
                              {"live redraw: one update (waveform + spectrogram + relevance + history)", timingWithWorst(liveUpdate)},
                              {"live redraw: one update, CPU time of the GUI thread", timingWithWorst(liveUpdateCpu)}};
    QFile f(out);
    if (!f.open(QIODevice::WriteOnly)) return 1;
    f.write(QJsonDocument(results).toJson());
    for (auto it = results.begin(); it != results.end(); ++it) {
        const QJsonObject t = it.value().toObject();
        std::printf("%-72s median %7.3f ms  min %7.3f%s  (%d runs)\n", qPrintable(it.key()), t["median_ms"].toDouble(),
                    t["min_ms"].toDouble(), t.contains("max_ms") ? qPrintable(QStringLiteral("  max %1").arg(t["max_ms"].toDouble(), 7, 'f', 3)) : "",
                    t["reps"].toInt());
    }
    return 0;
}
