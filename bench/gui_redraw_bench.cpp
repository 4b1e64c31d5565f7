// s4scope-bench-gui: the time of one redraw of the explanation view (waveform + spectrogram +
// relevance overlay) on the offscreen platform, with new data each time as in live mode.
// Writes {"redraw ...": {"median_ms", "min_ms", "reps"}} to --out.
#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>
#include <vector>

#include "s4scope/audio_io.h"
#include "views/explanation_plot.h"

namespace {

QJsonObject timing(std::vector<double> ms) {
    std::sort(ms.begin(), ms.end());
    return {{"median_ms", ms[ms.size() / 2]}, {"min_ms", ms.front()}, {"reps", int(ms.size())}};
}

}  // namespace

int main(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM", qgetenv("QT_QPA_PLATFORM").isEmpty() ? "offscreen" : qgetenv("QT_QPA_PLATFORM"));
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int outAt = args.indexOf("--out");
    const QString out = outAt > 0 && outAt + 1 < args.size() ? args[outAt + 1] : "bench-gui.json";

    const auto clip = s4scope::loadAudio(S4SCOPE_SOURCE_DIR "/resources/clips/yes.wav").samples;
    std::vector<float> relevance(clip.size());
    for (size_t i = 0; i < clip.size(); ++i) relevance[i] = clip[i] * std::sin(0.001f * float(i));

    s4scope::views::ExplanationPlot plot;
    plot.resize(1400, 800);
    plot.show();
    app.processEvents();

    std::vector<double> full, replotOnly;
    for (int i = 0; i < 40; ++i) {
        std::rotate(relevance.begin(), relevance.begin() + 1600, relevance.end());  // new data, as live mode sends
        QElapsedTimer t;
        t.start();
        plot.setClip(clip, 16000);
        plot.setRelevance(relevance);
        plot.replot(QCustomPlot::rpImmediateRefresh);
        full.push_back(t.nsecsElapsed() / 1e6);
        t.restart();
        plot.replot(QCustomPlot::rpImmediateRefresh);
        replotOnly.push_back(t.nsecsElapsed() / 1e6);
    }
    const QJsonObject results{{"redraw: new clip + relevance, waveform + spectrogram + overlay", timing(full)},
                              {"redraw: replot only (pan, zoom, playhead)", timing(replotOnly)}};
    QFile f(out);
    if (!f.open(QIODevice::WriteOnly)) return 1;
    f.write(QJsonDocument(results).toJson());
    return 0;
}
