#pragma once
// For scripts and the README: waits until the window has its clip, explanation and (if asked)
// comparison, lets the plots settle, saves the main window and the comparison view as PNG
// (grabbed by the app itself, no X tools needed), exports the requested figures and quits.
#include <QObject>
#include <QString>

#include "app/startup_options.h"

namespace s4scope::app {

class MainWindow;

class ScreenshotRunner : public QObject {
    Q_OBJECT
public:
    ScreenshotRunner(MainWindow* window, const StartupOptions& options);
    static bool wanted(const StartupOptions& options);

private:
    void check();
    void capture();
    bool save(const QString& path);
    bool exportFigures();

    MainWindow* window_;
    StartupOptions options_;
    bool capturing_ = false;
};

}  // namespace s4scope::app
