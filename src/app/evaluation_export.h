#pragma once
// The Evaluate tab's numbers in machine-readable form, with the batch CLI's column names
// (evaluation_metrics.h), so a clip judged in the explorer reads like a row of `s4scope-cli evaluate`:
//   .csv   one row per method: method, name, target, target_label, probability, then every metric
//          (empty where it does not apply);
//   .json  the settings, the word interval, the random-order reference and per method its metrics,
//          curves, randomisation steps and per-layer totals (NaN as null).
#include <optional>
#include <vector>

#include <QString>
#include <QStringList>

#include "s4scope/evaluation.h"

namespace s4scope::app {

struct EvaluationData {
    evaluation::ClipEvaluation result;
    evaluation::EvaluationOptions options;  // as run (options.word: the interval localisation used)
    QStringList names;                      // display names, in result.methods order
    QString targetLabel;
    QString clipPath;
    double offsetSeconds = 0;
    QString model;
};

// Returns the files written. Throws s4scope::Error naming the path when it cannot be written or
// its extension is neither .csv nor .json.
QStringList exportEvaluationData(const QString& path, const EvaluationData& data);

}  // namespace s4scope::app
