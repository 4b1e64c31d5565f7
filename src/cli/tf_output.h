#pragma once
// explain --time-frequency and --listen (issue 17, DESIGN.md §8): the time–frequency relevance
// written beside the explanation, and the masked audio written as WAV and classified again.
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "s4scope/explanation_io.h"
#include "signal/tf_relevance.h"

namespace s4scope::cli {

// R[f,t] of the record's relevance through the default tight-frame STFT at the record's rate.
signal::TfRelevance tfRelevanceOf(const ExplanationRecord& record, double epsilon);

// The fields --time-frequency adds to the JSON: tf_relevance (frames × bins, frame-major),
// tf_times_s (frame centres), tf_frequencies_hz, tf_frequency_profile and tf_conservation
// (share = ΣR[f,t] / ΣR[n], lost_share_at_zero, both totals, epsilon, the STFT's window and hop).
nlohmann::json tfFields(const signal::TfRelevance& tf, double epsilon);

// The explanation at `path` and its TF relevance: .json carries the fields above; .npy is followed
// by STEM.tf_relevance.npy (float32, frames × bins), STEM.tf_times_s.npy and STEM.tf_frequencies_hz.npy;
// .csv by STEM.tf.csv (frame, time_s, bin, frequency_hz, relevance). `write` puts each file in place
// (the batch writes atomically). Returns the extra files' paths.
std::vector<std::string> writeExplanationWithTf(const std::string& path, const ExplanationRecord& record,
                                                const signal::TfRelevance& tf, double epsilon,
                                                const std::function<void(const std::string&, const std::function<void(const std::string&)>&)>& write);

}  // namespace s4scope::cli
