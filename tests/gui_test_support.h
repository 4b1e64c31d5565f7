#pragma once
// Helpers for the GUI suites: isolated settings, waiting for the asynchronous work of the real
// MainWindow's explorer document, finding its error dialogs, and the engine's own answer to
// compare the views against.
#include <QApplication>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

#include "app/main_window.h"
#include "s4scope/attribution.h"
#include "s4scope/audio_io.h"

namespace guitest {

inline QString clipPath(const QString& word) { return QStringLiteral(S4SCOPE_SOURCE_DIR "/resources/clips/") + word + ".wav"; }

// Settings, recordings and recent files go to a throw-away folder, never the user's.
inline void isolateSettings(const QTemporaryDir& dir) {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("s4scope-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("s4scope-tests"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir.path());
    QSettings().clear();
}

// A main window with isolated settings, shown at the size the suites' checks assume; it starts
// loading the bundled model (wait with waitForModel).
inline std::unique_ptr<s4scope::app::MainWindow> shownWindow(const QTemporaryDir& settingsDir) {
    isolateSettings(settingsDir);
    auto w = std::make_unique<s4scope::app::MainWindow>();
    w->resize(1400, 900);
    w->show();
    return w;
}

// Waits for the document's model and returns whether it arrived.
inline bool waitForModel(const s4scope::app::Explorer& e, int timeoutMs = 60000) {
    QElapsedTimer t;
    t.start();
    while (!e.model() && t.elapsed() < timeoutMs) QTest::qWait(10);
    return bool(e.model());
}
inline bool waitForModel(s4scope::app::MainWindow& w, int timeoutMs = 60000) { return waitForModel(*w.explorer(), timeoutMs); }

inline bool waitForIdle(const s4scope::app::Explorer& e, int timeoutMs = 120000) {
    QElapsedTimer t;
    t.start();
    while (e.isBusy() && t.elapsed() < timeoutMs) QTest::qWait(10);
    return !e.isBusy();
}
inline bool waitForIdle(s4scope::app::MainWindow& w, int timeoutMs = 120000) { return waitForIdle(*w.explorer(), timeoutMs); }

// Opens a clip through the window and waits until it is classified and idle.
inline bool openClip(s4scope::app::MainWindow& w, const QString& path) {
    QSignalSpy predicted(w.explorer(), &s4scope::app::Explorer::predictionReady);
    w.openAudio(path);
    return predicted.wait(60000) && waitForIdle(w);
}

// The visible error dialog of `w`, if any.
inline QMessageBox* errorDialog(QWidget& w) {
    for (QMessageBox* box : w.findChildren<QMessageBox*>())
        if (box->isVisible() && box->objectName() == QLatin1String("errorDialog")) return box;
    return nullptr;
}

inline void closeDialog(QMessageBox* box) {
    QTest::mouseClick(box->button(QMessageBox::Ok), Qt::LeftButton);
}

// The engine's answer for the same clip file, model and request, computed without the GUI.
inline s4scope::Explanation engineExplanation(const s4scope::Model& model, const QString& clip,
                                              const s4scope::ExplainRequest& request) {
    s4scope::AudioLoadOptions options;
    options.sampleRate = model.config().sample_rate;
    options.length = model.config().seq_len;
    const auto audio = s4scope::loadAudio(clip.toStdString(), options);
    return s4scope::explain(model, audio.samples, request);
}

// Largest |a - b| relative to max |b| (0 when both are zero).
inline double relativeDifference(const std::vector<float>& a, const std::vector<float>& b) {
    if (a.size() != b.size()) return INFINITY;
    double diff = 0, scale = 0;
    for (size_t i = 0; i < a.size(); ++i) {
        diff = std::max(diff, double(std::abs(a[i] - b[i])));
        scale = std::max(scale, double(std::abs(b[i])));
    }
    return scale > 0 ? diff / scale : diff;
}

}  // namespace guitest
