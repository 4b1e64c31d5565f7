#include "app/data_export.h"

#include <cmath>

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

// 'g' with 9 digits, and a negative zero printed as "0".
QByteArray number(double v) { return QByteArray::number(v == 0 ? 0.0 : v, 'g', 9); }

QByteArray csvField(QString text) {
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"'))) return text.toUtf8();
    return '"' + text.replace(QLatin1Char('"'), QStringLiteral("\"\"")).toUtf8() + '"';
}

QJsonValue jsonNumber(double v) { return std::isfinite(v) ? QJsonValue(v == 0 ? 0.0 : v) : QJsonValue(); }

QJsonObject methodsJson(const ComparisonData& d) {
    QJsonArray methods;
    for (size_t i = 0; i < d.records.size(); ++i) {
        const Explanation& e = d.records[i].explanation;
        QJsonObject m{{QStringLiteral("id"), QString::fromStdString(e.method)},
                      {QStringLiteral("name"), i < size_t(d.names.size()) ? d.names[int(i)] : QString::fromStdString(e.method)},
                      {QStringLiteral("row"), int(i)}};
        if (i < d.stats.size()) {
            m[QStringLiteral("max_abs")] = jsonNumber(d.stats[i].maxAbs);
            m[QStringLiteral("sum")] = jsonNumber(d.stats[i].sum);
        }
        if (e.conservation) {
            const Conservation& c = *e.conservation;
            m[QStringLiteral("conservation")] = QJsonObject{{QStringLiteral("reference"), QString::fromStdString(c.reference)},
                                                            {QStringLiteral("expected"), jsonNumber(c.expected)},
                                                            {QStringLiteral("total"), jsonNumber(c.total)},
                                                            {QStringLiteral("relative_error"), jsonNumber(c.relativeError())}};
        }
        methods.append(m);
    }
    const size_t n = d.records.size();
    QJsonArray scales;
    for (size_t s = 0; s < d.agreement.scales.size(); ++s) {
        QJsonObject scale{{QStringLiteral("name"), QString::fromStdString(d.agreement.scales[s].name)},
                          {QStringLiteral("frame_samples"), d.agreement.scales[s].samples}};
        for (int k = 0; k < signal::kCorrelationCount; ++k) {
            const auto& values = d.agreement.of(signal::Correlation(k), int(s));
            if (values.size() != n * n) continue;
            QJsonArray rows;
            for (size_t i = 0; i < n; ++i) {
                QJsonArray row;
                for (size_t j = 0; j < n; ++j) row.append(jsonNumber(values[i * n + j]));
                rows.append(row);
            }
            scale[QString::fromLatin1(signal::correlationKey(signal::Correlation(k)))] = rows;
        }
        scales.append(scale);
    }
    QJsonObject agreement{{QStringLiteral("top_k_fraction"), d.agreement.topKFraction},
                          {QStringLiteral("default_scale"), signal::kDefaultAgreementScale},
                          {QStringLiteral("scales"), scales},
                          {QStringLiteral("note"), QStringLiteral("matrices are n x n in the order of \"methods\"; relevance is summed "
                                                                  "over each scale's frames; top_k_jaccard: overlap of the "
                                                                  "frames holding each method's top k of (signed) relevance")}};
    return QJsonObject{{QStringLiteral("methods"), methods}, {QStringLiteral("agreement"), agreement}};
}

QByteArray methodsCsv(const ComparisonData& d) {
    QByteArray out = "row,id,name,max_abs,sum,conservation_reference,conservation_expected,conservation_total,conservation_relative_error\n";
    for (size_t i = 0; i < d.records.size(); ++i) {
        const Explanation& e = d.records[i].explanation;
        out += QByteArray::number(qulonglong(i)) + ',' + QByteArray::fromStdString(e.method) + ',' +
               csvField(i < size_t(d.names.size()) ? d.names[int(i)] : QString::fromStdString(e.method)) + ',' +
               (i < d.stats.size() ? number(d.stats[i].maxAbs) + ',' + number(d.stats[i].sum) : QByteArray(","));
        if (e.conservation)
            out += ',' + csvField(QString::fromStdString(e.conservation->reference)) + ',' + number(e.conservation->expected) +
                   ',' + number(e.conservation->total) + ',' + number(e.conservation->relativeError());
        else
            out += ",,,,";
        out += '\n';
    }
    return out;
}

QByteArray agreementCsv(const ComparisonData& d) {
    QByteArray out = "scale,frame_samples,measure,method_a,method_b,value\n";
    const size_t n = d.records.size();
    for (size_t s = 0; s < d.agreement.scales.size(); ++s)
        for (int k = 0; k < signal::kCorrelationCount; ++k) {
            const auto& values = d.agreement.of(signal::Correlation(k), int(s));
            if (values.size() != n * n) continue;
            for (size_t i = 0; i < n; ++i)
                for (size_t j = 0; j < n; ++j)
                    out += QByteArray::fromStdString(d.agreement.scales[s].name) + ',' +
                           QByteArray::number(d.agreement.scales[s].samples) + ',' + signal::correlationKey(signal::Correlation(k)) +
                           ',' + QByteArray::fromStdString(d.records[i].explanation.method) + ',' +
                           QByteArray::fromStdString(d.records[j].explanation.method) + ',' +
                           (std::isfinite(values[i * n + j]) ? number(values[i * n + j]) : QByteArray("nan")) + '\n';
        }
    return out;
}

QByteArray logitsCsv(const ExplanationRecord& r) {
    QByteArray out = "class,label,logit\n";
    for (size_t i = 0; i < r.explanation.logits.size(); ++i)
        out += QByteArray::number(qulonglong(i)) + ',' + (i < r.labels.size() ? QByteArray::fromStdString(r.labels[i]) : "") +
               ',' + number(r.explanation.logits[i]) + '\n';
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

QStringList exportComparisonData(const QString& path, const ComparisonData& data) {
    const auto& records = data.records;
    if (records.empty()) throw Error(path.toStdString() + ": no comparison to export");
    const QString suffix = suffixOf(path);
    const size_t n = records.front().clip.size();
    for (const auto& r : records)
        if (r.explanation.relevance.size() != n)
            throw Error(path.toStdString() + ": the compared maps differ in length (" + r.explanation.method + ")");
    if (suffix == QLatin1String("npy")) {
        std::vector<float> all;
        for (const auto& r : records) all.insert(all.end(), r.explanation.relevance.begin(), r.explanation.relevance.end());
        writeNpy(path.toStdString(), all, {records.size(), n});
        const QString methods = sidecar(path, QStringLiteral("_methods")).chopped(3) + QStringLiteral("json");
        QJsonObject root = methodsJson(data);
        root[QStringLiteral("array")] = QStringLiteral("%1: float32 relevance, shape (methods, samples), rows in the order of \"methods\"")
                                            .arg(QFileInfo(path).fileName());
        root[QStringLiteral("sample_rate")] = records.front().sampleRate;
        writeText(methods, QJsonDocument(root).toJson(QJsonDocument::Indented));
        return {path, methods};
    }
    if (suffix == QLatin1String("csv")) {
        QByteArray out = "sample,time_s,amplitude";
        for (const auto& r : records) out += ',' + QByteArray::fromStdString(r.explanation.method);
        out += '\n';
        const int rate = records.front().sampleRate;
        for (size_t i = 0; i < n; ++i) {
            out += QByteArray::number(qulonglong(i)) + ',' + number(records.front().offsetSeconds + double(i) / rate) + ',' + number(records.front().clip[i]);
            for (const auto& r : records) out += ',' + number(r.explanation.relevance[i]);
            out += '\n';
        }
        writeText(path, out);
        const QString methods = sidecar(path, QStringLiteral("_methods")), agreement = sidecar(path, QStringLiteral("_agreement"));
        writeText(methods, methodsCsv(data));
        writeText(agreement, agreementCsv(data));
        return {path, methods, agreement};
    }
    if (suffix == QLatin1String("json")) {
        QJsonArray explanations;
        for (size_t i = 0; i < records.size(); ++i) {
            QJsonObject e = QJsonDocument::fromJson(QByteArray::fromStdString(explanationJson(records[i]))).object();
            if (i < data.stats.size()) {
                e[QStringLiteral("max_abs")] = jsonNumber(data.stats[i].maxAbs);
                e[QStringLiteral("sum")] = jsonNumber(data.stats[i].sum);
            }
            explanations.append(e);
        }
        QJsonObject root = methodsJson(data);
        root[QStringLiteral("explanations")] = explanations;
        writeText(path, QJsonDocument(root).toJson(QJsonDocument::Compact));
        return {path};
    }
    throw Error(path.toStdString() + ": unknown data format '" + suffix.toStdString() + "' (use .csv, .json or .npy)");
}

}  // namespace s4scope::app
