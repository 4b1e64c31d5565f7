#include "app/session.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include "s4scope/error.h"

namespace s4scope::app {
namespace {

const char* kFormat = "s4scope-session";
constexpr int kVersion = 1;

// Stored relative to the session when the file lies beside or below it, absolute otherwise.
QString storedPath(const QString& path, const QString& sessionPath) {
    if (path.isEmpty()) return path;
    const QString relative = QFileInfo(sessionPath).absoluteDir().relativeFilePath(path);
    return relative.startsWith(QLatin1String("..")) ? QFileInfo(path).absoluteFilePath() : relative;
}

QString resolvedPath(const QString& stored, const QString& sessionPath) {
    if (stored.isEmpty() || QFileInfo(stored).isAbsolute()) return stored;
    return QDir::cleanPath(QFileInfo(sessionPath).absoluteDir().absoluteFilePath(stored));
}

[[noreturn]] void fail(const QString& sessionPath, const QString& reason) {
    throw Error(sessionPath.toStdString() + ": " + reason.toStdString());
}

// A session names methods by id; one this build does not know is refused here, by name, instead
// of failing later inside the window.
void requireKnownMethod(const QString& sessionPath, const QString& id, const char* where) {
    try {
        methodInfo(id.toStdString());
    } catch (const std::exception&) {
        fail(sessionPath, QStringLiteral("%1 names an unknown attribution method '%2'")
                              .arg(QLatin1String(where), id.left(80)));
    }
}

constexpr qint64 kMaxSessionBytes = 1 << 20;  // a session is a few hundred bytes

}  // namespace

QByteArray Session::toJson(const QString& sessionPath) const {
    QJsonObject paramsObject;
    for (const auto& [method, values] : params) {
        QJsonObject v;
        for (const auto& [name, value] : values) v.insert(QString::fromStdString(name), value);
        paramsObject.insert(method, v);
    }
    QJsonObject root{
        {QStringLiteral("format"), QString::fromLatin1(kFormat)},
        {QStringLiteral("version"), kVersion},
        {QStringLiteral("audio"), QJsonObject{{QStringLiteral("path"), storedPath(audioPath, sessionPath)},
                                              {QStringLiteral("offset_s"), offsetSeconds}}},
        {QStringLiteral("model"), modelPath.isEmpty() ? QJsonValue(QStringLiteral("bundled"))
                                                      : QJsonValue(storedPath(modelPath, sessionPath))},
        {QStringLiteral("method"), method},
        {QStringLiteral("target"), target},
        {QStringLiteral("params"), paramsObject},
        {QStringLiteral("comparison"),
         QJsonObject{{QStringLiteral("methods"), QJsonArray::fromStringList(comparedMethods)},
                     {QStringLiteral("shared_scale"), sharedScale},
                     {QStringLiteral("correlation"), correlation}}},
    };
    if (wordSeconds)
        root.insert(QStringLiteral("word"), QJsonObject{{QStringLiteral("start_s"), wordSeconds->first}, {QStringLiteral("end_s"), wordSeconds->second}});
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

Session Session::fromJson(const QByteArray& json, const QString& sessionPath) {
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (document.isNull()) fail(sessionPath, QStringLiteral("not valid JSON (%1)").arg(error.errorString()));
    const QJsonObject root = document.object();
    if (root.value(QStringLiteral("format")).toString() != QLatin1String(kFormat))
        fail(sessionPath, QStringLiteral("not an s4scope session (no \"format\": \"%1\")").arg(kFormat));
    if (root.value(QStringLiteral("version")).toInt() > kVersion)
        fail(sessionPath, QStringLiteral("written by a newer s4scope (version %1)").arg(root.value("version").toInt()));

    Session s;
    const QJsonObject audio = root.value(QStringLiteral("audio")).toObject();
    s.audioPath = resolvedPath(audio.value(QStringLiteral("path")).toString(), sessionPath);
    s.offsetSeconds = audio.value(QStringLiteral("offset_s")).toDouble();
    const QString model = root.value(QStringLiteral("model")).toString();
    s.modelPath = model == QLatin1String("bundled") ? QString() : resolvedPath(model, sessionPath);
    s.method = root.value(QStringLiteral("method")).toString();
    s.target = root.value(QStringLiteral("target")).toInt(-1);
    const QJsonObject paramsObject = root.value(QStringLiteral("params")).toObject();
    for (auto it = paramsObject.begin(); it != paramsObject.end(); ++it) {
        MethodParams values;
        const QJsonObject v = it.value().toObject();
        for (auto p = v.begin(); p != v.end(); ++p) values[p.key().toStdString()] = p.value().toDouble();
        s.params[it.key()] = values;
    }
    const QJsonObject comparison = root.value(QStringLiteral("comparison")).toObject();
    for (const QJsonValue& m : comparison.value(QStringLiteral("methods")).toArray()) s.comparedMethods << m.toString();
    s.sharedScale = comparison.value(QStringLiteral("shared_scale")).toBool(true);
    s.correlation = comparison.value(QStringLiteral("correlation")).toString(QStringLiteral("pearson"));
    if (root.contains(QStringLiteral("word"))) {  // optional: older sessions have none
        const QJsonObject word = root.value(QStringLiteral("word")).toObject();
        const double start = word.value(QStringLiteral("start_s")).toDouble(-1), end = word.value(QStringLiteral("end_s")).toDouble(-1);
        if (!(start >= 0 && end > start))
            fail(sessionPath, QStringLiteral("\"word\" needs start_s >= 0 and end_s > start_s (seconds of file time)"));
        s.wordSeconds = std::make_pair(start, end);
    }
    if (s.audioPath.isEmpty()) fail(sessionPath, QStringLiteral("names no audio file"));
    requireKnownMethod(sessionPath, s.method, "\"method\"");
    for (const QString& m : s.comparedMethods) requireKnownMethod(sessionPath, m, "\"comparison\"");
    for (const auto& entry : s.params) requireKnownMethod(sessionPath, entry.first, "\"params\"");
    return s;
}

void Session::save(const QString& path) const {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(toJson(path)) < 0 || !file.commit())
        fail(path, QStringLiteral("cannot write the session (%1)").arg(file.errorString()));
}

Session Session::load(const QString& path) {
    // Regular files of at most 1 MiB: a FIFO would block open(), /dev/zero would never end.
    const QFileInfo info(path);
    if (info.exists() && (!info.isFile() || info.isDir()))
        fail(path, QStringLiteral("not a regular file (a folder, pipe or device cannot be a session)"));
    if (info.size() > kMaxSessionBytes) fail(path, QStringLiteral("larger than 1 MiB, not a session"));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) fail(path, QStringLiteral("cannot read the session (%1)").arg(file.errorString()));
    return fromJson(file.read(kMaxSessionBytes + 1), path);
}

bool Session::operator==(const Session& o) const {
    return audioPath == o.audioPath && offsetSeconds == o.offsetSeconds && modelPath == o.modelPath &&
           method == o.method && target == o.target && params == o.params && comparedMethods == o.comparedMethods &&
           sharedScale == o.sharedScale && correlation == o.correlation && wordSeconds == o.wordSeconds;
}

}  // namespace s4scope::app
