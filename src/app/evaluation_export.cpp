#include "app/evaluation_export.h"

#include <cmath>

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include "s4scope/error.h"
#include "s4scope/evaluation_metrics.h"

namespace s4scope::app {
namespace {

QJsonValue number(double v) { return std::isfinite(v) ? QJsonValue(v) : QJsonValue(); }

QJsonArray numbers(const std::vector<double>& values) {
    QJsonArray a;
    for (double v : values) a.append(number(v));
    return a;
}

QString cell(double v) { return std::isfinite(v) ? QString::number(v, 'g', 9) : QString(); }

QString quoted(const QString& s) {
    if (!s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"')) && !s.contains(QLatin1Char('\n'))) return s;
    QString q = s;
    q.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

QJsonObject curvesJson(const evaluation::Curves& c) {
    return QJsonObject{{QStringLiteral("fractions"), numbers(c.fractions)},
                       {QStringLiteral("morf"), numbers(c.deletion)},
                       {QStringLiteral("lerf_insertion"), numbers(c.insertion)},
                       {QStringLiteral("auc_morf"), number(c.aucDeletion)},
                       {QStringLiteral("auc_lerf"), number(c.aucInsertion)},
                       {QStringLiteral("delta_af"), number(c.deltaAF())}};
}

QByteArray csvOf(const EvaluationData& d) {
    QString text = QStringLiteral("method,name,target,target_label,probability");
    for (const auto& m : evaluation::metricNames()) text += QLatin1Char(',') + QString::fromStdString(m);
    text += QLatin1Char('\n');
    for (size_t i = 0; i < d.result.methods.size(); ++i) {
        const auto& m = d.result.methods[i];
        text += QStringList{QString::fromStdString(m.method), quoted(d.names.value(int(i))), QString::number(d.result.target),
                            quoted(d.targetLabel), cell(d.result.probability)}
                    .join(QLatin1Char(','));
        const auto metrics = evaluation::metricsOf(d.result, m);
        for (const auto& name : evaluation::metricNames()) text += QLatin1Char(',') + cell(metrics.at(name));
        text += QLatin1Char('\n');
    }
    return text.toUtf8();
}

QByteArray jsonOf(const EvaluationData& d) {
    const auto& o = d.options;
    QJsonObject settings{{QStringLiteral("baseline"), QString::fromStdString(evaluation::baselineName(o.curves.baseline))},
                         {QStringLiteral("frame_ms"), o.curves.frameMs},
                         {QStringLiteral("step"), o.curves.step},
                         {QStringLiteral("random_orders"), o.curves.randomOrders},
                         {QStringLiteral("seed"), double(o.curves.seed)},
                         {QStringLiteral("randomisation"), o.randomisation},
                         {QStringLiteral("randomisation_pass_below"), evaluation::Randomisation::kPassBelow}};
    QJsonArray methods;
    for (size_t i = 0; i < d.result.methods.size(); ++i) {
        const auto& m = d.result.methods[i];
        QJsonObject j{{QStringLiteral("method"), QString::fromStdString(m.method)}, {QStringLiteral("name"), d.names.value(int(i))}};
        for (const auto& [name, value] : evaluation::metricsOf(d.result, m)) j.insert(QString::fromStdString(name), number(value));
        j.insert(QStringLiteral("curves"), curvesJson(m.curves));
        if (m.randomisation) {
            QJsonArray steps;
            for (size_t k = 0; k < m.randomisation->layers.size(); ++k)
                steps.append(QJsonObject{{QStringLiteral("layer"), QString::fromStdString(m.randomisation->layers[k])},
                                         {QStringLiteral("similarity"), number(m.randomisation->similarity[k])}});
            j.insert(QStringLiteral("randomisation"), steps);
        }
        if (m.conservation && !m.conservation->layers.empty()) {
            QJsonArray layers;
            for (const auto& l : evaluation::layerConservation(*m.conservation))
                layers.append(QJsonObject{{QStringLiteral("step"), QString::fromStdString(l.step)},
                                          {QStringLiteral("total"), number(l.total)},
                                          {QStringLiteral("relative_error"), number(l.relativeError)}});
            j.insert(QStringLiteral("layers"), layers);
            j.insert(QStringLiteral("expected"), number(m.conservation->expected));
        }
        methods.append(j);
    }
    QJsonObject root{{QStringLiteral("clip"), d.clipPath},
                     {QStringLiteral("offset_s"), d.offsetSeconds},
                     {QStringLiteral("model"), d.model},
                     {QStringLiteral("target"), double(d.result.target)},
                     {QStringLiteral("target_label"), d.targetLabel},
                     {QStringLiteral("probability"), number(d.result.probability)},
                     {QStringLiteral("settings"), settings},
                     {QStringLiteral("random"), curvesJson(d.result.random)},
                     {QStringLiteral("methods"), methods}};
    if (o.word)
        root.insert(QStringLiteral("word"), QJsonObject{{QStringLiteral("start"), double(o.word->start)}, {QStringLiteral("end"), double(o.word->end)}});
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

}  // namespace

QStringList exportEvaluationData(const QString& path, const EvaluationData& data) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    QByteArray bytes;
    if (suffix == QLatin1String("csv")) bytes = csvOf(data);
    else if (suffix == QLatin1String("json")) bytes = jsonOf(data);
    else throw Error(path.toStdString() + ": unknown data format (use .csv or .json)");
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        throw Error(path.toStdString() + ": cannot be written (" + file.errorString().toStdString() + ")");
    return {path};
}

}  // namespace s4scope::app
