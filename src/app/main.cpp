// s4scope: the desktop explorer.
#include <QApplication>
#include <QIcon>
#include <QSettings>

#include "app/app_theme.h"
#include "app/live_screenshot.h"
#include "app/main_window.h"
#include "app/method_panel.h"
#include "app/screenshot_runner.h"
#include "app/startup_options.h"
#include "s4scope/runtime.h"

int main(int argc, char** argv) {
    s4scope::preferPassiveOpenMP(argv);  // spinning OpenMP workers would starve the GUI thread
    const QString session = s4scope::app::takeSessionArgument(argc, argv);  // before Qt takes it
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("s4scope"));
    QApplication::setApplicationName(QStringLiteral("s4scope"));
    QApplication::setApplicationVersion(QStringLiteral(S4SCOPE_VERSION));
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.s4scope.s4scope"));  // packaging/linux/
    QApplication::setWindowIcon(QIcon::fromTheme(QStringLiteral("io.github.s4scope.s4scope")));
    s4scope::app::StartupOptions options = s4scope::app::parseStartupOptions(QApplication::arguments());
    if (!session.isEmpty()) options.session = session;
    if (options.dark) QSettings().setValue(QStringLiteral("view/dark"), true);

    s4scope::app::MainWindow window(options.session.isEmpty() ? options.model : QString());
    if (options.size.isValid()) window.resize(options.size);
    window.show();
    if (!options.method.isEmpty()) window.methodPanel()->setCurrentMethod(options.method);
    if (!options.session.isEmpty()) {
        window.openSession(options.session);
    } else {
        if (!options.audio.isEmpty()) window.openAudio(options.audio, options.offsetSeconds);
        if (!options.compare.isEmpty()) {
            window.methodPanel()->setComparedMethods(options.compare);
            window.compare(options.compare);
        }
    }
    if (options.scan) window.scanRecording();  // runs once the file is read
    if (options.live) {
        QObject::connect(window.explorer(), &s4scope::app::Explorer::modelReady, &window, [&window, &options] {
            if (window.liveWindow()) return;
            window.showLive();
            if (!options.screenshotLive.isEmpty()) s4scope::app::saveLiveScreenshot(window.liveWindow(), options.screenshotLive);
        });
    }
    if (s4scope::app::ScreenshotRunner::wanted(options)) new s4scope::app::ScreenshotRunner(&window, options);
    return app.exec();
}
