#pragma once
// Relevance and logits in machine-readable form. The engine writes the explanation itself
// (.json: everything; .npy/.csv: relevance per sample); for .npy and .csv the logits go to a
// sidecar NAME_logits.{npy,csv}, since those formats hold one table each.
#include <vector>

#include <QString>
#include <QStringList>

#include "signal/correlation.h"
#include "signal/relevance_pooling.h"
#include "s4scope/explanation_io.h"

namespace s4scope::app {

// Returns the files written. Throws s4scope::Error naming the path on failure.
QStringList exportExplanationData(const QString& path, const ExplanationRecord& record);

// A comparison as exported: the methods' records in order, their display names, the true max |R|
// and ΣR of each map, and the agreement matrices (every scale and measure), all computed on a worker.
struct ComparisonData {
    std::vector<ExplanationRecord> records;
    QStringList names;                          // display names, as the rows show them
    std::vector<signal::RelevanceStats> stats;  // one per record
    signal::Agreement agreement;
};

// Several methods' relevance of one clip, and their agreement:
//   .json  one file: "methods" (id, name, max_abs, sum, conservation), "agreement" (every scale and
//          measure, NaN as null) and "explanations" (each method's full record);
//   .npy   relevance, float32 (methods, samples), plus NAME_methods.json (the methods in row order
//          and the agreement) — a bare array does not say which row is which;
//   .csv   one column per method (sample, time_s, amplitude, then the method ids), plus
//          NAME_methods.csv (id, name, max_abs, sum, conservation) and NAME_agreement.csv (long
//          format: scale, measure, method_a, method_b, value).
// Numbers never print as "-0". Returns the files written; throws s4scope::Error naming the path.
QStringList exportComparisonData(const QString& path, const ComparisonData& data);

}  // namespace s4scope::app
