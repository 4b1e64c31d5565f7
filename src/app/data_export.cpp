#include "app/data_export.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include "s4scope/error.h"

namespace s4scope::app {
namespace {

QString sidecar(const QString& path, const QString& suffix) {
    const QFileInfo info(path);
    return info.dir().filePath(info.completeBaseName() + suffix + QLatin1Char('.') + info.suffix());
}

void writeText(const QString& path, const QByteArray& text) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size() || !file.commit())
        throw Error(path.toStdString() + ": cannot write (" + file.errorString().toStdString() + ")");
}

QByteArray logitsCsv(const ExplanationRecord& r) {
    QByteArray out = "class,label,logit\n";
    for (size_t i = 0; i < r.explanation.logits.size(); ++i)
        out += QByteArray::number(qulonglong(i)) + ',' + (i < r.labels.size() ? QByteArray::fromStdString(r.labels[i]) : "") +
               ',' + QByteArray::number(r.explanation.logits[i], 'g', 9) + '\n';
    return out;
}

QString suffixOf(const QString& path) { return QFileInfo(path).suffix().toLower(); }

}  // namespace

QStringList exportExplanationData(const QString& path, const ExplanationRecord& record) {
    writeExplanation(path.toStdString(), record);
    QStringList written{path};
    if (suffixOf(path) == QLatin1String("npy")) {
        const QString logits = sidecar(path, QStringLiteral("_logits"));
        writeNpy(logits.toStdString(), record.explanation.logits, {record.explanation.logits.size()});
        written << logits;
    } else if (suffixOf(path) == QLatin1String("csv")) {
        const QString logits = sidecar(path, QStringLiteral("_logits"));
        writeText(logits, logitsCsv(record));
        written << logits;
    }
    return written;
}

QStringList exportComparisonData(const QString& path, const std::vector<ExplanationRecord>& records) {
    if (records.empty()) throw Error(path.toStdString() + ": no comparison to export");
    const QString suffix = suffixOf(path);
    const size_t n = records.front().clip.size();
    if (suffix == QLatin1String("npy")) {
        std::vector<float> all;
        for (const auto& r : records) all.insert(all.end(), r.explanation.relevance.begin(), r.explanation.relevance.end());
        writeNpy(path.toStdString(), all, {records.size(), n});
        return {path};
    }
    if (suffix == QLatin1String("csv")) {
        QByteArray out = "sample,time_s,amplitude";
        for (const auto& r : records) out += ',' + QByteArray::fromStdString(r.explanation.method);
        out += '\n';
        const int rate = records.front().sampleRate;
        for (size_t i = 0; i < n; ++i) {
            out += QByteArray::number(qulonglong(i)) + ',' + QByteArray::number(records.front().offsetSeconds + double(i) / rate, 'g', 9) + ',' +
                   QByteArray::number(records.front().clip[i], 'g', 9);
            for (const auto& r : records) out += ',' + QByteArray::number(r.explanation.relevance[i], 'g', 9);
            out += '\n';
        }
        writeText(path, out);
        return {path};
    }
    if (suffix == QLatin1String("json")) {
        QJsonArray methods;
        for (const auto& r : records)
            methods.append(QJsonDocument::fromJson(QByteArray::fromStdString(explanationJson(r))).object());
        writeText(path, QJsonDocument(QJsonObject{{QStringLiteral("explanations"), methods}}).toJson(QJsonDocument::Compact));
        return {path};
    }
    throw Error(path.toStdString() + ": unknown data format '" + suffix.toStdString() + "' (use .csv, .json or .npy)");
}

}  // namespace s4scope::app
