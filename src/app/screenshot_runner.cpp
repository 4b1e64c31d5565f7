#include "app/screenshot_runner.h"

#include <cstdio>

#include <QApplication>
#include <QPixmap>
#include <QTimer>

#include "app/main_window.h"

namespace s4scope::app {

ScreenshotRunner::ScreenshotRunner(MainWindow* window, QString mainPng, QString comparisonPng, bool expectComparison)
    : QObject(window), window_(window), mainPng_(std::move(mainPng)), comparisonPng_(std::move(comparisonPng)),
      expectComparison_(expectComparison) {
    connect(window, &MainWindow::idle, this, &ScreenshotRunner::check);
    connect(window, &MainWindow::computationFailed, this, [](const QString& message) {
        std::fprintf(stderr, "s4scope: screenshot aborted: %s\n", qPrintable(message));
        QApplication::exit(1);
    });
    QTimer::singleShot(300000, this, [] {
        std::fprintf(stderr, "s4scope: screenshot timed out\n");
        QApplication::exit(3);
    });
}

void ScreenshotRunner::check() {
    const bool ready = window_->hasClip() && window_->prediction() && window_->explanation() &&
                       (!expectComparison_ || !window_->comparison().empty());
    if (!ready || capturing_) return;
    capturing_ = true;
    window_->showComparisonTab(false);
    QTimer::singleShot(600, this, &ScreenshotRunner::capture);  // queued replots and layouts settle
}

bool ScreenshotRunner::save(const QString& path) {
    const QPixmap shot = window_->grab();
    if (shot.save(path, "PNG")) {
        std::printf("s4scope: saved %s (%dx%d)\n", qPrintable(path), shot.width(), shot.height());
        return true;
    }
    std::fprintf(stderr, "s4scope: cannot write %s\n", qPrintable(path));
    return false;
}

void ScreenshotRunner::capture() {
    bool ok = mainPng_.isEmpty() || save(mainPng_);
    if (comparisonPng_.isEmpty()) return QApplication::exit(ok ? 0 : 1);
    window_->showComparisonTab(true);
    QTimer::singleShot(600, this, [this, ok] { QApplication::exit(ok && save(comparisonPng_) ? 0 : 1); });
}

}  // namespace s4scope::app
