#pragma once
// Relevance and logits in machine-readable form. The engine writes the explanation itself
// (.json: everything; .npy/.csv: relevance per sample); for .npy and .csv the logits go to a
// sidecar NAME_logits.{npy,csv}, since those formats hold one table each.
#include <vector>

#include <QString>
#include <QStringList>

#include "s4scope/explanation_io.h"

namespace s4scope::app {

// Returns the files written. Throws s4scope::Error naming the path on failure.
QStringList exportExplanationData(const QString& path, const ExplanationRecord& record);

// Several methods' relevance of one clip: .npy (float32, shape (methods, samples)), .csv (time,
// amplitude and one column per method) or .json (methods, relevance, logits, params).
QStringList exportComparisonData(const QString& path, const std::vector<ExplanationRecord>& records);

}  // namespace s4scope::app
