#include "evaluate_figure.h"

#include <cstdlib>

#include "s4scope/error.h"

#ifdef S4SCOPE_CLI_FIGURES
#include <QApplication>

#include "views/evaluation_plot.h"
#include "views/figure_export.h"
#endif

namespace s4scope::cli {

#ifdef S4SCOPE_CLI_FIGURES

bool evaluationFiguresAvailable() { return true; }

void checkEvaluationFigurePath(const std::string& path) { views::figureFormatFor(QString::fromStdString(path)); }

void writeEvaluationFigure(const std::string& path, const std::string& title, const std::vector<MeanCurves>& methods,
                           const MeanCurves& random) {
    if (!std::getenv("DISPLAY") && !std::getenv("WAYLAND_DISPLAY") && !std::getenv("QT_QPA_PLATFORM"))
        setenv("QT_QPA_PLATFORM", "offscreen", 1);
    int argc = 1;
    char name[] = "s4scope-cli";
    char* argv[] = {name, nullptr};
    QApplication application(argc, argv);
    std::vector<views::EvaluationCurve> curves;
    std::vector<views::EvaluationBar> bars;
    for (const auto& m : methods) {
        curves.push_back({QString::fromStdString(m.name), m.fractions, m.deletion, m.insertion});
        bars.push_back({QString::fromStdString(m.name), m.deltaAF, m.deltaAFError});
    }
    views::EvaluationPlot plot;
    plot.setTitle(QString::fromStdString(title));
    plot.setCurves(curves, {QString::fromStdString(random.name), random.fractions, random.deletion, random.insertion});
    plot.setSummary(bars, random.deltaAF);
    views::FigureOptions options;
    options.width = 1500;
    options.height = methods.size() > 8 ? 900 : 650;
    options.dpi = 144;
    plot.resize(options.width, options.height);
    plot.exportFigure(QString::fromStdString(path), options);
}

#else

bool evaluationFiguresAvailable() { return false; }

void checkEvaluationFigurePath(const std::string&) {
    throw Error("--figure needs s4scope-cli built with the GUI (S4SCOPE_BUILD_GUI): this build draws no figures");
}

void writeEvaluationFigure(const std::string&, const std::string&, const std::vector<MeanCurves>&, const MeanCurves&) {
    checkEvaluationFigurePath({});
}

#endif

}  // namespace s4scope::cli
