#pragma once
// Helpers shared by the Qt Test suites: running Debian's PyTorch for reference fixtures, and
// reading the raw float32 files it writes.
#include <QFile>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QtTest>

#include <vector>

namespace s4test {

inline QString sourcePath(const QString& relative) {
    return QStringLiteral(S4SCOPE_SOURCE_DIR "/") + relative;
}

// Runs S4SCOPE_PYTHON with the given arguments; fails the current test (returns false) with the
// script's output when it does not exit 0.
inline bool runPython(const QStringList& arguments, QString* output = nullptr, int timeoutMs = 300000) {
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral(S4SCOPE_PYTHON), arguments);
    if (!p.waitForFinished(timeoutMs)) {
        qWarning("python did not finish: %s", qPrintable(arguments.join(' ')));
        return false;
    }
    const QString out = QString::fromUtf8(p.readAll());
    if (output) *output = out;
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        qWarning("python %s failed:\n%s", qPrintable(arguments.join(' ')), qPrintable(out));
        return false;
    }
    return true;
}

inline std::vector<float> readFloats(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    const QByteArray bytes = f.readAll();
    std::vector<float> v(bytes.size() / sizeof(float));
    memcpy(v.data(), bytes.constData(), v.size() * sizeof(float));
    return v;
}

inline bool writeFloats(const QString& path, const std::vector<float>& v) {
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly)) return false;
    return f.write(reinterpret_cast<const char*>(v.data()), qint64(v.size() * sizeof(float))) ==
           qint64(v.size() * sizeof(float));
}

inline float maxAbsDiff(const std::vector<float>& a, const std::vector<float>& b) {
    float m = 0;
    for (size_t i = 0; i < a.size() && i < b.size(); ++i) m = std::max(m, std::abs(a[i] - b[i]));
    return a.size() == b.size() ? m : INFINITY;
}

}  // namespace s4test
