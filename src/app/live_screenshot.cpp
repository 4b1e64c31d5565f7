#include "app/live_screenshot.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

#include <QApplication>
#include <QElapsedTimer>
#include <QTimer>

#include "app/live_history.h"
#include "app/live_window.h"

namespace s4scope::app {

void saveLiveScreenshot(LiveWindow* live, const QString& path, int timeoutMs) {
    auto quit = [](int code) { QTimer::singleShot(0, qApp, [code] { QApplication::exit(code); }); };
    auto run = std::make_shared<int>(0);  // results in a row showing the same keyword
    auto last = std::make_shared<QString>();
    auto listening = std::make_shared<QElapsedTimer>();
    listening->start();
    auto shown = std::make_shared<std::vector<LiveShown>>();  // for the timings printed at the end
    QObject::connect(live, &LiveWindow::shown, live, [live, path, run, last, listening, shown, quit](const LiveShown& s) {
        shown->push_back(s);
        *run = s.speech && s.label == *last ? *run + 1 : 0;
        *last = s.speech ? s.label : QString();
        int keywords = 0;
        for (const QString& r : live->history()->runs()) keywords += r != LiveHistoryStrip::tr("no speech");
        if (listening->elapsed() < 9000 || keywords < 4 || *run < 8 || s.confidence < 0.8f) return;
        const bool ok = live->grab().save(path);
        std::fprintf(stderr, "s4scope: %s %s\n", ok ? "saved" : "could not save", qPrintable(path));
        auto median = [&](double LiveShown::*field) {
            std::vector<double> v;
            for (const LiveShown& r : *shown) v.push_back(r.*field);
            std::sort(v.begin(), v.end());
            return v.empty() ? 0.0 : v[v.size() / 2];
        };
        std::fprintf(stderr, "s4scope: %zu updates, %.1f/s; drawing one on the GUI thread %.1f ms median (CPU %.1f ms), %.1f ms max; "
                     "latency %.0f ms median\n",
                     shown->size(), live->updateRate(), median(&LiveShown::drawMs), median(&LiveShown::drawCpuMs),
                     live->drawMsMax(), median(&LiveShown::latencyMs));
        QObject::disconnect(live, &LiveWindow::shown, live, nullptr);
        quit(ok ? 0 : 1);
    });
    QObject::connect(live, &LiveWindow::failed, live, [quit](const QString& message) {
        std::fprintf(stderr, "s4scope: live mode failed: %s\n", qPrintable(message));
        quit(1);
    });
    QTimer::singleShot(timeoutMs, live, [quit] {
        std::fprintf(stderr, "s4scope: no keywords heard within the time limit\n");
        quit(1);
    });
}

}  // namespace s4scope::app
