#pragma once
// The numbers of one method's evaluation as a flat table row, named as the batch CLI's columns
// (rows.csv) so the explorer's export and the CLI's output can be read by the same scripts.
#include <map>
#include <string>
#include <vector>

#include "s4scope/evaluation.h"

namespace s4scope::evaluation {

// Column order: auc_morf, auc_lerf, delta_af, random_auc_morf, random_auc_lerf, random_delta_af,
// randomisation_similarity, randomisation_passed, mass_accuracy, pointing_hit, interval_share,
// conservation_error, max_layer_conservation_error.
const std::vector<std::string>& metricNames();

// Every metric of metricNames(); NaN where one does not apply (no randomisation run, no word
// interval, no conservation property, no per-layer totals). Booleans are 1 or 0.
std::map<std::string, double> metricsOf(const ClipEvaluation& clip, const MethodEvaluation& method);

}  // namespace s4scope::evaluation
