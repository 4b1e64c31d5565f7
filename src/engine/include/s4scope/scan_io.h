#pragma once
// A keyword scan (scan.h) in machine-readable form, written the same way by `s4scope-cli scan` and
// by the explorer's File > Export scan: CSV (the detections — keyword, start, end, probability —
// or every window) and JSON (both, with the options that produced them).
#include <string>
#include <vector>

#include "s4scope/scan.h"

namespace s4scope {

// Detections: "label,start_s,end_s,peak_start_s,peak_probability,windows" (label: the keyword,
// peak_probability: its highest window probability). timeline: one row per window instead.
std::string scanCsv(const ScanResult& result, const std::vector<std::string>& labels, bool timeline = false);
std::string scanJson(const ScanResult& result, const std::vector<std::string>& labels, const std::string& input,
                     const std::string& model, const ScanOptions& options);
// By extension (.csv: the detections, .json). Throws Error naming the path on failure or another extension.
void writeScan(const std::string& path, const ScanResult& result, const std::vector<std::string>& labels,
               const std::string& input, const std::string& model, const ScanOptions& options);

}  // namespace s4scope
