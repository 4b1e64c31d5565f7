#pragma once
// The figure of `s4scope-cli evaluate --figure`: the mean deletion and insertion curves per method
// beside the random-order reference (dashed) and ΔA_F per method (mean ± standard error), drawn by
// the Evaluate tab's EvaluationPlot and exported like every GUI figure. Only in builds with the GUI.
#include <string>
#include <vector>

namespace s4scope::cli {

struct MeanCurves {
    std::string name;
    std::vector<double> fractions, deletion, insertion;
    double deltaAF = 0, deltaAFError = 0;  // mean and standard error over the clips
};

// Whether this build can draw figures (the views are built in).
bool evaluationFiguresAvailable();
// Throws s4scope::Error for an extension other than .png, .svg, .pdf (before any work is done).
void checkEvaluationFigurePath(const std::string& path);
void writeEvaluationFigure(const std::string& path, const std::string& title, const std::vector<MeanCurves>& methods,
                           const MeanCurves& random);

}  // namespace s4scope::cli
