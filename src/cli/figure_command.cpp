// s4scope-cli figure: the GUI's figures without a display. The same view classes the explorer
// shows (ExplanationPlot, ComparisonPlot, AgreementPlot), filled and titled as the explorer fills
// them, exported by the same PlotWidget::exportFigure (light theme, PNG with size and DPI, SVG, PDF).
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>
#include <QApplication>
#include <QFileInfo>

#include "clip_loading.h"
#include "commands.h"
#include "model_choice.h"
#include "s4scope/attribution.h"
#include "s4scope/error.h"
#include "s4scope/evaluation.h"
#include "signal/correlation.h"
#include "signal/relevance_pooling.h"
#include "signal/spectrogram.h"
#include "views/agreement_plot.h"
#include "views/comparison_plot.h"
#include "views/explanation_plot.h"
#include "views/interval_marker.h"

namespace s4scope::cli {
namespace {

struct FigureCommandOptions {
    std::string input;
    ModelChoice model;
    std::vector<std::string> methods;
    std::vector<std::string> views{"all"};
    std::string output;
    views::FigureOptions figure;  // the export dialog's defaults
    double offset = 0;
    int64_t target = -1;
    bool ownScales = false;
    std::string correlation = "pearson";
    std::string timeScale = "10ms";  // one of kTimeScales
    double topKPercent = 10;
};

// --time-scale's values, in the order of signal::agreementScales (the explorer's Time scale list).
const std::vector<std::string> kTimeScales = {"sample", "1ms", "10ms", "50ms"};

views::Correlation correlationNamed(const std::string& name) {
    if (name == "spearman") return views::Correlation::Spearman;
    if (name == "topk") return views::Correlation::TopKOverlap;
    return views::Correlation::Pearson;
}

QString q(const std::string& s) { return QString::fromStdString(s); }

// fig.png -> fig-comparison.png, fig-explanation-lrp_epsilon.png when one output names several figures.
QString figurePath(const QString& output, const QString& suffix, bool several) {
    if (!several) return output;
    const QFileInfo info(output);
    const QString dir = info.path() == QLatin1String(".") && !output.startsWith(QLatin1String("./")) ? QString() : info.path() + "/";
    return dir + info.completeBaseName() + "-" + suffix + "." + info.suffix();
}

int runFigure(const FigureCommandOptions& o) {
    if (!std::getenv("DISPLAY") && !std::getenv("WAYLAND_DISPLAY") && !std::getenv("QT_QPA_PLATFORM"))
        setenv("QT_QPA_PLATFORM", "offscreen", 1);
    views::figureFormatFor(q(o.output));  // an unknown extension fails before any work
    bool wantExplanation = false, wantComparison = false, wantAgreement = false;
    for (const auto& v : o.views) {
        wantExplanation = wantExplanation || v == "explanation" || v == "all";
        wantComparison = wantComparison || v == "comparison" || v == "all";
        wantAgreement = wantAgreement || v == "agreement" || v == "all";
    }
    std::vector<std::string> ids;
    for (const auto& m : o.methods) ids.push_back(methodInfo(m).id);
    if (wantAgreement && ids.size() < 2) {
        if (o.views != std::vector<std::string>{"all"}) throw Error("the agreement matrix needs at least two --method");
        wantAgreement = false;
    }
    if (ids.size() < 2 && o.views == std::vector<std::string>{"all"}) wantComparison = false;

    const Model model = o.model.open();
    const Audio audio = loadSecond(o.input, model, o.offset);
    const auto& labels = model.config().labels;
    std::vector<Explanation> explanations;
    for (const auto& id : ids) {
        ExplainRequest r;
        r.method = id;
        r.target = o.target;
        explanations.push_back(explain(model, audio.samples, r));
    }

    int argc = 1;
    char name[] = "s4scope-cli";
    char* argv[] = {name, nullptr};
    QApplication application(argc, argv);
    const QString file = views::clipTimeTitle(QFileInfo(q(o.input)).fileName(), o.offset,
                                              double(model.config().seq_len) / model.config().sample_rate);
    const int rate = model.config().sample_rate;
    const int figures = (wantExplanation ? int(ids.size()) : 0) + wantComparison + wantAgreement;
    const bool several = figures > 1;
    auto write = [&](views::PlotWidget& plot, const QString& path) {
        plot.resize(o.figure.width, o.figure.height);
        plot.exportFigure(path, o.figure);
        std::cout << path.toStdString() << "\n";
    };
    auto labelOf = [&](int64_t k) { return k >= 0 && k < int64_t(labels.size()) ? q(labels[size_t(k)]) : QString(); };

    if (wantExplanation)
        for (const Explanation& e : explanations) {
            views::ExplanationPlot plot;
            plot.setClip(audio.samples, rate, signal::computeSpectrogram(audio.samples, rate));
            plot.setRelevance(e.relevance);
            plot.setTimeOrigin(o.offset);
            // The word's interval from the clip's sidecar, shaded as the explorer shows it.
            // The part inside the analysed second, rounded to samples, as the explorer does it.
            views::IntervalMarker word(&plot);
            try {
                if (const auto interval = evaluation::readWordInterval(o.input)) {
                    const int64_t n = int64_t(audio.samples.size());
                    const int64_t a = std::clamp<int64_t>(std::llround(double(interval->start) - o.offset * rate), 0, n);
                    const int64_t b = std::clamp<int64_t>(std::llround(double(interval->end) - o.offset * rate), 0, n);
                    if (a < b) word.setInterval(std::make_pair(double(a) / rate, double(b) / rate));
                }
            } catch (const std::exception& e) {
                std::cerr << "word interval ignored: " << e.what() << "\n";
            }
            plot.setTitle(QStringLiteral("%1  ·  %2 for class '%3'  (red: evidence for it, blue: against)")
                              .arg(file, q(methodInfo(e.method).displayName), labelOf(e.target)));
            write(plot, figurePath(q(o.output), ids.size() > 1 ? "explanation-" + q(e.method) : "explanation", several));
        }
    std::vector<views::RelevanceMap> maps;
    QStringList names;
    std::vector<std::vector<float>> relevances;
    for (const Explanation& e : explanations) {
        const QString display = q(methodInfo(e.method).displayName);
        views::RelevanceMap map{display, QStringLiteral("%1 ms").arg(e.elapsedMs, 0, 'f', e.elapsedMs < 10 ? 1 : 0), e.relevance};
        const signal::RelevanceStats stats = signal::relevanceStats(e.relevance);
        map.maxAbs = stats.maxAbs;
        map.sum = stats.sum;
        if (e.conservation)
            map.conservation = QStringLiteral("(%1 %2: %3 % off)")
                                   .arg(QString::fromStdString(e.conservation->reference))
                                   .arg(e.conservation->expected, 0, 'g', 3)
                                   .arg(100 * e.conservation->relativeError(), 0, 'g', 2);
        maps.push_back(std::move(map));
        names << display;
        relevances.push_back(e.relevance);
    }
    if (wantComparison) {
        views::ComparisonPlot plot;
        plot.setClip(audio.samples, rate);
        plot.setSharedScale(!o.ownScales);
        plot.setTimeOrigin(o.offset);
        plot.setTitle(QStringLiteral("%1  ·  relevance for class '%2'  (red: for, blue: against)")
                          .arg(file, labelOf(explanations.empty() ? -1 : explanations.front().target)));
        plot.setMaps(maps);
        write(plot, figurePath(q(o.output), QStringLiteral("comparison"), several));
    }
    if (wantAgreement) {
        views::AgreementPlot plot;
        // The explorer's computation (signal::agreementOf, every measure at every scale) and its plot,
        // set to the measure and scale asked for.
        plot.setCorrelation(correlationNamed(o.correlation));
        plot.setScale(int(std::find(kTimeScales.begin(), kTimeScales.end(), o.timeScale) - kTimeScales.begin()));
        plot.setAgreement(names, signal::agreementOf(relevances, rate, o.topKPercent / 100.0));
        write(plot, figurePath(q(o.output), QStringLiteral("agreement"), several));
    }
    return 0;
}

}  // namespace

Command addFigureCommand(CLI::App& app) {
    auto o = std::make_shared<FigureCommandOptions>();
    auto* cmd = app.add_subcommand("figure", "Render the explorer's figures of one clip (no display needed)");
    cmd->footer(
        "Views: explanation (waveform, spectrogram and relevance; one figure per method), comparison (one row\n"
        "per method on one time axis) and agreement (correlation matrix of the methods). Written as the explorer's\n"
        "File > Export figure writes them: light theme, PNG at --width x --height logical pixels and --dpi\n"
        "(pixels = size x dpi / 96), SVG or PDF by the extension of --output. Several figures from one --output\n"
        "get -VIEW (and -METHOD) before the extension. Without a display Qt's offscreen platform is used.");
    cmd->add_option("input,-i,--input", o->input, "The audio file")->required();
    o->model.addOptions(*cmd);
    cmd->add_option("-m,--method", o->methods, "Attribution method id(s), repeatable")->required()->delimiter(',');
    cmd->add_option("--view", o->views, "explanation, comparison, agreement or all (repeatable)")
        ->check(CLI::IsMember({"explanation", "comparison", "agreement", "all"}))->delimiter(',');
    cmd->add_option("-o,--output", o->output, "Figure file: .png, .svg or .pdf")->required();
    cmd->add_option("--width", o->figure.width, "Width in logical pixels (1/96 inch)")->check(CLI::Range(16, 20000));
    cmd->add_option("--height", o->figure.height, "Height in logical pixels")->check(CLI::Range(16, 20000));
    cmd->add_option("--dpi", o->figure.dpi, "PNG resolution")->check(CLI::Range(24.0, 2400.0));
    cmd->add_option("--offset", o->offset, "Seconds into the file where the analysed second begins")->check(CLI::NonNegativeNumber);
    cmd->add_option("--target", o->target, "Class index to explain (default: the predicted class)");
    cmd->add_flag("--own-scales", o->ownScales, "Comparison: each row on its own colour scale (default: one shared)");
    cmd->add_option("--correlation", o->correlation, "Agreement: pearson, spearman or topk (overlap of the top-k % frames, Jaccard)")
        ->check(CLI::IsMember({"pearson", "spearman", "topk"}));
    cmd->add_option("--time-scale", o->timeScale, "Agreement: relevance compared per sample or summed over 1ms, 10ms or 50ms frames")
        ->check(CLI::IsMember(kTimeScales));
    cmd->add_option("--top-k", o->topKPercent, "Agreement with --correlation topk: the percentage of frames compared")
        ->check(CLI::Range(0.1, 100.0));
    return {cmd, [o] { return runFigure(*o); }};
}

}  // namespace s4scope::cli
