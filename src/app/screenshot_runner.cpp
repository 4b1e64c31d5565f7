#include "app/screenshot_runner.h"

#include <cstdio>

#include <QApplication>
#include <QPixmap>
#include <QTimer>

#include "app/main_window.h"

namespace s4scope::app {

ScreenshotRunner::ScreenshotRunner(MainWindow* window, const StartupOptions& options)
    : QObject(window), window_(window), options_(options) {
    connect(window->explorer(), &Explorer::idle, this, &ScreenshotRunner::check);
    // Classifying or explaining failed: the picture would not show what was asked for.
    connect(window->explorer(), &Explorer::failed, this, [](Explorer::Stage stage, const QString&, const QString& message) {
        if (stage != Explorer::Stage::Classify && stage != Explorer::Stage::Explain) return;
        std::fprintf(stderr, "s4scope: screenshot aborted: %s\n", qPrintable(message));
        QApplication::exit(1);
    });
    QTimer::singleShot(300000, this, [] {
        std::fprintf(stderr, "s4scope: screenshot timed out\n");
        QApplication::exit(3);
    });
}

bool ScreenshotRunner::wanted(const StartupOptions& o) {
    return !o.screenshot.isEmpty() || !o.screenshotCompare.isEmpty() || !o.figure.isEmpty() || !o.figureCompare.isEmpty();
}

void ScreenshotRunner::check() {
    const bool expectComparison = !options_.compare.isEmpty();
    const Explorer& explorer = *window_->explorer();
    const bool ready = explorer.hasClip() && explorer.prediction() && explorer.explanation() &&
                       (!expectComparison || !explorer.comparison().empty());
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

bool ScreenshotRunner::exportFigures() {
    const views::FigureOptions options{1200, 800, 300};
    bool ok = true;
    if (!options_.figure.isEmpty()) ok = window_->exportFigure(FigureTarget::Explanation, options_.figure, options) && ok;
    if (!options_.figureCompare.isEmpty())
        ok = window_->exportFigure(FigureTarget::Comparison, options_.figureCompare, {1200, 1000, 300}) && ok;
    return ok;
}

void ScreenshotRunner::capture() {
    bool ok = (options_.screenshot.isEmpty() || save(options_.screenshot)) && exportFigures();
    if (options_.screenshotCompare.isEmpty()) return QApplication::exit(ok ? 0 : 1);
    window_->showComparisonTab(true);
    QTimer::singleShot(600, this, [this, ok] { QApplication::exit(ok && save(options_.screenshotCompare) ? 0 : 1); });
}

}  // namespace s4scope::app
