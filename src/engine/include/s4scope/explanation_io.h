#pragma once
// Writing explanations in machine-readable form: JSON (everything), NPY and CSV (per sample).
#include <string>
#include <vector>

#include "s4scope/attribution.h"

namespace s4scope {

struct ExplanationRecord {
    Explanation explanation;
    std::vector<float> clip;  // the samples explained
    int sampleRate = 16000;
    std::vector<std::string> labels;
    std::string input;  // where the clip came from
    std::string model;  // where the model came from
    double offsetSeconds = 0;  // where in the input file the clip begins: times are written in file time
};

std::string explanationJson(const ExplanationRecord& record);
// By extension: .json (all fields, with "conservation" — reference, expected, total, relative_error
// and LRP's per-step totals "layers" — for methods that have one), .npy (float32 relevance, shape
// (T,)), .csv (sample, time_s in the file's time, amplitude, relevance). Throws Error naming the path on failure or an
// unknown extension.
void writeExplanation(const std::string& path, const ExplanationRecord& record);

// A 1-D or 2-D float32 array as NumPy's .npy (format 1.0, little-endian, C order).
void writeNpy(const std::string& path, const std::vector<float>& values, const std::vector<size_t>& shape);

}  // namespace s4scope
