#pragma once
// The command line of `s4scope`: what to open at start and, for scripts, screenshots to take.
#include <QSize>
#include <QString>
#include <QStringList>

namespace s4scope::app {

struct StartupOptions {
    QString audio;       // a clip to open
    double offsetSeconds = 0;
    QString model;       // either file of a model pair; empty: the bundled model
    QString session;     // a .s4session to reopen (wins over audio and model)
    QString method;      // the method to explain with
    QStringList compare; // methods to compare once the clip is open
    bool scan = false;   // scan the whole file for keywords once it is open
    QString screenshot;         // PNG of the main window once everything is computed; then quit
    QString screenshotCompare;  // PNG of the comparison view, likewise
    QString figure;         // the explanation view as a figure (.png/.svg/.pdf), likewise
    QString figureCompare;  // the comparison grid as a figure, likewise
    bool live = false;          // open live microphone mode at start
    QString screenshotLive;     // PNG of the live window once it shows a keyword after two others; then quit
    bool dark = false;
    QSize size;          // window size in logical pixels; invalid: remembered or default
};

// QGuiApplication's constructor removes "--session ID" / "-session ID" (X11 session management)
// from argv, so s4scope's own --session never reached the parser. Called before the application
// is constructed: removes --session FILE or --session=FILE from argv and returns FILE (empty: none).
QString takeSessionArgument(int& argc, char** argv);

// Parses QCoreApplication's arguments. Prints help or an error and exits on --help or misuse.
StartupOptions parseStartupOptions(const QStringList& arguments);

}  // namespace s4scope::app
