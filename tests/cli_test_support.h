#pragma once
// Helpers of the s4scope-cli suites: running the CLI, making clip folders, reading index.jsonl.
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <vector>

#include "s4scope/audio_io.h"

namespace clitest {

struct Run {
    int exitCode = -1;
    QString out, err;
};

inline Run runCli(const QStringList& arguments, int timeoutMs = 300000,
                  const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment()) {
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(S4SCOPE_CLI), arguments);
    Run r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = QStringLiteral("timed out");
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

inline QString bundledClip(const QString& name) { return QStringLiteral(S4SCOPE_SOURCE_DIR "/resources/clips/") + name; }

inline const QStringList& keywordNames() {
    static const QStringList names = {"yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go"};
    return names;
}

// n distinct clips: the bundled keywords at varied gains and small shifts, in subfolders.
inline QStringList makeClips(const QString& folder, int n) {
    QStringList paths;
    for (int i = 0; i < n; ++i) {
        const QString word = keywordNames()[i % keywordNames().size()];
        auto audio = s4scope::loadAudio(bundledClip(word + ".wav").toStdString());
        const float gain = 0.5f + 0.05f * float(i % 7);
        std::vector<float> s(audio.samples.size(), 0.0f);
        const size_t shift = size_t(40 * (i % 5));
        for (size_t k = shift; k < s.size(); ++k) s[k] = gain * audio.samples[k - shift];
        const QString sub = folder + QStringLiteral("/part%1").arg(i % 3);
        QDir().mkpath(sub);
        const QString path = sub + QStringLiteral("/%1_%2.wav").arg(word).arg(i, 3, 10, QLatin1Char('0'));
        s4scope::writeWav(path.toStdString(), s, 16000);
        paths << path;
    }
    return paths;
}

inline std::vector<QJsonObject> readIndex(const QString& path) {
    std::vector<QJsonObject> lines;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return lines;
    for (const QByteArray& line : f.readAll().split('\n'))
        if (!line.trimmed().isEmpty()) lines.push_back(QJsonDocument::fromJson(line).object());
    return lines;
}

inline QByteArray fileBytes(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Index lines without the fields that differ between runs (timings), for comparing runs.
inline QStringList comparableIndex(const QString& path) {
    QStringList out;
    for (QJsonObject o : readIndex(path)) {
        o.remove(QStringLiteral("elapsed_ms"));
        out << QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
    }
    return out;
}

// Every output file named by an index equals its counterpart in the other folder, byte for byte.
inline bool sameOutputs(const QString& a, const QString& b, QString* why) {
    for (const QJsonObject& o : readIndex(a + "/index.jsonl")) {
        const QString name = o["output"].toString();
        if (name.isEmpty()) continue;
        const QByteArray x = fileBytes(a + "/" + name), y = fileBytes(b + "/" + name);
        if (x.isEmpty() || x != y) {
            *why = name + QStringLiteral(" differs or is missing");
            return false;
        }
    }
    return true;
}

}  // namespace clitest
