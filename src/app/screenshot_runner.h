#pragma once
// For scripts and the README: waits until the window has its clip, explanation and (if asked)
// comparison, lets the plots settle, saves the main window and the comparison view as PNG
// (grabbed by the app itself, no X tools needed) and quits.
#include <QObject>
#include <QString>

namespace s4scope::app {

class MainWindow;

class ScreenshotRunner : public QObject {
    Q_OBJECT
public:
    ScreenshotRunner(MainWindow* window, QString mainPng, QString comparisonPng, bool expectComparison);

private:
    void check();
    void capture();
    bool save(const QString& path);

    MainWindow* window_;
    QString mainPng_;
    QString comparisonPng_;
    bool expectComparison_;
    bool capturing_ = false;
};

}  // namespace s4scope::app
