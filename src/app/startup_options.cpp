#include "app/startup_options.h"

#include <cstdio>
#include <cstdlib>
#include <utility>

#include <QCommandLineParser>

#include "s4scope/attribution.h"

namespace s4scope::app {
namespace {

[[noreturn]] void usageError(const QCommandLineParser& parser, const QString& message) {
    std::fprintf(stderr, "s4scope: %s\n\n%s", qPrintable(message), qPrintable(parser.helpText()));
    std::exit(2);
}

}  // namespace

QString takeSessionArgument(int& argc, char** argv) {
    QString session;
    int kept = 1;
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        if ((arg == "--session" || arg == "-session") && i + 1 < argc) {
            session = QString::fromLocal8Bit(argv[++i]);
            continue;
        }
        if (arg.startsWith("--session=")) {
            session = QString::fromLocal8Bit(arg.mid(10));
            continue;
        }
        argv[kept++] = argv[i];
    }
    for (int i = kept; i < argc; ++i) argv[i] = nullptr;
    argc = kept;
    return session;
}

StartupOptions parseStartupOptions(const QStringList& arguments) {
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Explore attributions of an S4 keyword classifier on one-second audio."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("audio"), QStringLiteral("A clip to open (WAV, FLAC, OGG, MP3) or a session (.s4session)."), QStringLiteral("[audio]"));
    const QCommandLineOption model(QStringLiteral("model"), QStringLiteral("Either file of a model pair (default: the bundled model)."), QStringLiteral("file"));
    const QCommandLineOption offset(QStringLiteral("offset"), QStringLiteral("Where in the file the second begins."), QStringLiteral("seconds"), QStringLiteral("0"));
    const QCommandLineOption session(QStringLiteral("session"), QStringLiteral("A session file to reopen."), QStringLiteral("file"));
    const QCommandLineOption method(QStringLiteral("method"), QStringLiteral("The method to explain with (an id of s4scope-cli methods)."), QStringLiteral("id"));
    const QCommandLineOption compare(QStringLiteral("compare"), QStringLiteral("Comma-separated method ids to compare once the clip is open."), QStringLiteral("ids"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"), QStringLiteral("Save the main window as PNG when everything is computed, then quit."), QStringLiteral("png"));
    const QCommandLineOption screenshotCompare(QStringLiteral("screenshot-compare"), QStringLiteral("Save the comparison view as PNG, likewise."), QStringLiteral("png"));
    const QCommandLineOption figure(QStringLiteral("figure"), QStringLiteral("Export the explanation view as a figure (.png, .svg, .pdf; 1200x800 pt, 300 DPI) when everything is computed, then quit."), QStringLiteral("file"));
    const QCommandLineOption figureCompare(QStringLiteral("figure-compare"), QStringLiteral("Export the comparison grid as a figure, likewise."), QStringLiteral("file"));
    const QCommandLineOption scan(QStringLiteral("scan"), QStringLiteral("Scan the whole file for keywords once it is open (Audio > Scan for keywords)."));
    const QCommandLineOption live(QStringLiteral("live"), QStringLiteral("Open live microphone mode (File > Live microphone)."));
    const QCommandLineOption screenshotLive(QStringLiteral("screenshot-live"), QStringLiteral("With --live: save the live window as PNG once its history strip is full and it has shown four keywords, then quit."), QStringLiteral("png"));
    const QCommandLineOption dark(QStringLiteral("dark"), QStringLiteral("Use the dark theme."));
    const QCommandLineOption size(QStringLiteral("size"), QStringLiteral("Window size, e.g. 1500x950."), QStringLiteral("WxH"));
    parser.addOptions({model, offset, session, method, compare, scan, screenshot, screenshotCompare, figure, figureCompare, live, screenshotLive, dark, size});
    parser.process(arguments);

    StartupOptions o;
    if (!parser.positionalArguments().isEmpty()) o.audio = parser.positionalArguments().first();
    bool ok = true;
    o.offsetSeconds = parser.value(offset).toDouble(&ok);
    if (!ok) usageError(parser, QStringLiteral("--offset takes a number of seconds"));
    o.model = parser.value(model);
    o.session = parser.value(session);
    // File managers pass a session the way they pass a clip (the desktop entry's Exec=s4scope %f).
    if (o.session.isEmpty() && o.audio.endsWith(QLatin1String(".s4session"), Qt::CaseInsensitive)) std::swap(o.session, o.audio);
    o.method = parser.value(method);
    if (!parser.value(compare).isEmpty()) o.compare = parser.value(compare).split(QLatin1Char(','), Qt::SkipEmptyParts);
    try {
        for (const QString& id : o.compare + (o.method.isEmpty() ? QStringList() : QStringList{o.method}))
            methodInfo(id.trimmed().toStdString());
    } catch (const std::exception& e) {
        usageError(parser, QString::fromUtf8(e.what()));
    }
    for (QString& id : o.compare) id = id.trimmed();
    o.screenshot = parser.value(screenshot);
    o.screenshotCompare = parser.value(screenshotCompare);
    o.figure = parser.value(figure);
    o.figureCompare = parser.value(figureCompare);
    o.scan = parser.isSet(scan);
    o.live = parser.isSet(live) || parser.isSet(screenshotLive);
    o.screenshotLive = parser.value(screenshotLive);
    o.dark = parser.isSet(dark);
    if (parser.isSet(size)) {
        const QStringList wh = parser.value(size).split(QLatin1Char('x'));
        o.size = wh.size() == 2 ? QSize(wh[0].toInt(), wh[1].toInt()) : QSize();
        if (!o.size.isValid() || o.size.isEmpty()) usageError(parser, QStringLiteral("--size takes WxH, e.g. 1500x950"));
    }
    return o;
}

}  // namespace s4scope::app
