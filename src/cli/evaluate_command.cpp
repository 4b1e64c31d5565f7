// s4scope-cli evaluate: judges methods over many clips (DESIGN.md §10) — deletion / insertion
// areas and ΔA_F beside the random-order reference, the randomisation check, localisation where the
// word's interval is known (CLIP.word.json beside the clip, or --manifest), LRP's conservation —
// and writes per-clip rows and a per-method summary (mean ± standard error) as CSV and JSON.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "batch_options.h"
#include "clip_loading.h"
#include "commands.h"
#include "method_requests.h"
#include "s4scope/error.h"
#include "evaluate_figure.h"
#include "s4scope/evaluation.h"
#include "s4scope/evaluation_metrics.h"
#include "s4scope/parallel.h"

namespace fs = std::filesystem;

namespace s4scope::cli {
namespace {

using namespace evaluation;

struct EvaluateOptions {
    BatchOptions batch;
    std::vector<std::string> methods;
    std::vector<std::string> params;
    int64_t target = -1;
    uint64_t seed = 0;
    std::string baseline = "zero";
    double frameMs = 10;
    int randomOrders = 8;
    bool noRandomisation = false;
    std::string manifest;
    std::string figure;
};

std::string canonical(const std::string& path) {
    std::error_code ec;
    const auto c = fs::weakly_canonical(path, ec);
    return ec ? path : c.string();
}

// Word intervals of a data set's manifest (columns path, offset, length; paths relative to the
// manifest's folder), by canonical path.
std::map<std::string, Interval> readManifestIntervals(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw Error(path + ": cannot be read");
    auto split = [](const std::string& line) {
        std::vector<std::string> cells;
        std::stringstream s(line);
        std::string cell;
        while (std::getline(s, cell, ',')) cells.push_back(cell);
        return cells;
    };
    std::string line;
    if (!std::getline(in, line)) throw Error(path + ": empty manifest");
    const auto header = split(line);
    auto column = [&](const std::string& name) {
        for (size_t i = 0; i < header.size(); ++i)
            if (header[i] == name) return i;
        throw Error(path + ": the manifest has no column '" + name + "' (needs path, offset and length)");
    };
    const size_t cPath = column("path"), cOffset = column("offset"), cLength = column("length");
    std::map<std::string, Interval> intervals;
    const fs::path folder = fs::path(path).parent_path();
    for (int lineNo = 2; std::getline(in, line); ++lineNo) {
        if (line.empty()) continue;
        const auto cells = split(line);
        if (cells.size() != header.size()) throw Error(path + ":" + std::to_string(lineNo) + ": " + std::to_string(cells.size()) + " cells, the header has " + std::to_string(header.size()));
        try {
            const int64_t offset = std::stoll(cells[cOffset]), length = std::stoll(cells[cLength]);
            intervals[canonical((folder / cells[cPath]).string())] = {offset, offset + length};
        } catch (const std::logic_error&) {
            throw Error(path + ":" + std::to_string(lineNo) + ": offset and length must be whole numbers");
        }
    }
    return intervals;
}

struct Row {
    std::string key, input, method, error;
    int64_t target = -1;
    std::string targetLabel;
    double probability = 0;
    std::map<std::string, double> metrics;
    nlohmann::json detail;  // curves, randomisation steps, layers
    Curves curves, random;  // for the figure's means
};

// Agreement of two methods' maps on one clip, at the frames the curves rank (DESIGN.md §10).
struct AgreementRow {
    std::string key, input, a, b;
    Agreement agreement;
};

double nan() { return std::nan(""); }

std::vector<Row> rowsOf(const InputClip& clip, const ClipEvaluation& ce, const std::vector<std::string>& labels) {
    std::vector<Row> rows;
    for (const auto& m : ce.methods) {
        Row r;
        r.key = clip.key, r.input = clip.path, r.method = m.method, r.target = ce.target;
        r.targetLabel = ce.target < int64_t(labels.size()) ? labels[size_t(ce.target)] : "";
        r.probability = ce.probability;
        r.metrics = metricsOf(ce, m);
        r.curves = m.curves;
        r.random = ce.random;
        r.detail["fractions"] = m.curves.fractions;
        r.detail["morf"] = m.curves.deletion;
        r.detail["lerf_insertion"] = m.curves.insertion;
        if (m.randomisation) {
            nlohmann::json steps = nlohmann::json::array();
            for (size_t i = 0; i < m.randomisation->layers.size(); ++i) {
                const double s = m.randomisation->similarity[i];
                steps.push_back({{"layer", m.randomisation->layers[i]}, {"similarity", std::isfinite(s) ? nlohmann::json(s) : nlohmann::json()}});
            }
            r.detail["randomisation"] = steps;
        }
        if (m.conservation && !m.conservation->layers.empty()) {
            nlohmann::json layers = nlohmann::json::array();
            for (const auto& l : layerConservation(*m.conservation))
                layers.push_back({{"step", l.step}, {"total", l.total}, {"relative_error", l.relativeError}});
            r.detail["layers"] = layers;
        }
        rows.push_back(std::move(r));
    }
    return rows;
}

std::vector<AgreementRow> agreementsOf(const InputClip& clip, const ClipEvaluation& ce, int frame) {
    std::vector<AgreementRow> rows;
    for (size_t i = 0; i < ce.methods.size(); ++i)
        for (size_t j = i + 1; j < ce.methods.size(); ++j)
            rows.push_back({clip.key, clip.path, ce.methods[i].method, ce.methods[j].method,
                            agreementAt(ce.methods[i].relevance, ce.methods[j].relevance, frame)});
    return rows;
}

nlohmann::json number(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(); }

std::string cell(double v) {
    if (!std::isfinite(v)) return "";
    std::ostringstream s;
    s.precision(6);
    s << v;
    return s.str();
}

std::string quoted(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

struct Stat {
    int n = 0;
    double mean = 0, stderr_ = 0;
};
Stat statOf(const std::vector<double>& values) {
    Stat s;
    for (double v : values)
        if (std::isfinite(v)) s.mean += v, ++s.n;
    if (s.n == 0) return s;
    s.mean /= s.n;
    double ss = 0;
    for (double v : values)
        if (std::isfinite(v)) ss += (v - s.mean) * (v - s.mean);
    s.stderr_ = s.n > 1 ? std::sqrt(ss / (s.n - 1) / s.n) : 0.0;
    return s;
}

// agreement.csv (per clip and pair) and the summary's "agreement" (mean ± standard error per pair).
nlohmann::json writeAgreement(const std::string& folder, const std::vector<AgreementRow>& rows, const std::vector<std::string>& methodOrder) {
    std::ofstream csv(folder + "/agreement.csv");
    csv << "key,input,method_a,method_b,pearson,spearman,top_jaccard\n";
    for (const auto& r : rows)
        csv << quoted(r.key) << "," << quoted(r.input) << "," << r.a << "," << r.b << "," << cell(r.agreement.pearson) << ","
            << cell(r.agreement.spearman) << "," << cell(r.agreement.topJaccard) << "\n";
    if (!csv) throw Error(folder + "/agreement.csv: cannot be written");
    nlohmann::json pairs = nlohmann::json::array();
    for (size_t i = 0; i < methodOrder.size(); ++i)
        for (size_t j = i + 1; j < methodOrder.size(); ++j) {
            std::vector<double> p, s, t;
            for (const auto& r : rows)
                if (r.a == methodOrder[i] && r.b == methodOrder[j])
                    p.push_back(r.agreement.pearson), s.push_back(r.agreement.spearman), t.push_back(r.agreement.topJaccard);
            const Stat sp = statOf(p), ss = statOf(s), st = statOf(t);
            if (sp.n + ss.n + st.n == 0) continue;
            auto stat = [](const Stat& x) { return nlohmann::json{{"n", x.n}, {"mean", x.mean}, {"stderr", x.stderr_}}; };
            pairs.push_back({{"method_a", methodOrder[i]}, {"method_b", methodOrder[j]}, {"pearson", stat(sp)}, {"spearman", stat(ss)}, {"top_jaccard", stat(st)}});
        }
    return pairs;
}

// The mean curves of each method over the clips it was judged on, the random reference's mean, and
// ΔA_F's mean ± standard error: what the figure draws.
void writeFigure(const std::string& path, const std::vector<Row>& rows, const std::vector<std::string>& methodOrder,
                 const nlohmann::json& settings) {
    std::vector<MeanCurves> methods;
    MeanCurves random;
    int clips = 0;
    auto accumulate = [](MeanCurves& into, const Curves& c, int& n) {
        if (into.fractions.empty()) {
            into.fractions = c.fractions;
            into.deletion.assign(c.deletion.size(), 0.0);
            into.insertion.assign(c.insertion.size(), 0.0);
        }
        if (c.deletion.size() != into.deletion.size()) return;
        for (size_t k = 0; k < c.deletion.size(); ++k) into.deletion[k] += c.deletion[k], into.insertion[k] += c.insertion[k];
        ++n;
    };
    auto divide = [](MeanCurves& m, int n) {
        for (double& v : m.deletion) v /= std::max(1, n);
        for (double& v : m.insertion) v /= std::max(1, n);
    };
    std::vector<double> randomDelta;
    for (const auto& method : methodOrder) {
        MeanCurves m;
        m.name = methodInfo(method).displayName;
        int n = 0;
        std::vector<double> delta;
        for (const auto& r : rows) {
            if (r.method != method || !r.error.empty()) continue;
            accumulate(m, r.curves, n);
            delta.push_back(r.curves.deltaAF());
            if (method == methodOrder.front()) {  // one random reference per clip
                accumulate(random, r.random, clips);
                randomDelta.push_back(r.random.deltaAF());
            }
        }
        if (n == 0) continue;
        divide(m, n);
        const Stat s = statOf(delta);
        m.deltaAF = s.mean, m.deltaAFError = s.stderr_;
        methods.push_back(std::move(m));
    }
    if (methods.empty()) throw Error(path + ": no clip was judged, there is nothing to draw");
    divide(random, clips);
    random.deltaAF = statOf(randomDelta).mean;
    random.name = "random order (mean of " + settings["random_orders"].dump() + " per clip)";
    const std::string title = "Deletion / insertion over " + std::to_string(clips) + (clips == 1 ? " clip" : " clips") + " (" +
                              settings["baseline"].get<std::string>() + " baseline, " + settings["frame_ms"].dump() +
                              " ms frames); ΔA_F mean ± standard error";
    writeEvaluationFigure(path, title, methods, random);
}

void writeOutputs(const std::string& folder, const std::vector<Row>& rows, const std::vector<std::string>& methodOrder,
                  const nlohmann::json& settings, const std::vector<AgreementRow>& agreements) {
    fs::create_directories(folder);
    {
        std::ofstream csv(folder + "/rows.csv");
        csv << "key,input,method,target,target_label,probability,error";
        for (const auto& m : metricNames()) csv << "," << m;
        csv << "\n";
        for (const auto& r : rows) {
            csv << quoted(r.key) << "," << quoted(r.input) << "," << r.method << "," << r.target << "," << r.targetLabel
                << "," << cell(r.probability) << "," << quoted(r.error);
            for (const auto& m : metricNames()) csv << "," << cell(r.error.empty() ? r.metrics.at(m) : nan());
            csv << "\n";
        }
        if (!csv) throw Error(folder + "/rows.csv: cannot be written");
    }
    {
        std::ofstream jsonl(folder + "/rows.jsonl");
        for (const auto& r : rows) {
            nlohmann::json j{{"key", r.key}, {"input", r.input}, {"method", r.method}};
            if (!r.error.empty()) {
                j["status"] = "error", j["error"] = r.error;
            } else {
                j["status"] = "ok", j["target"] = r.target, j["target_label"] = r.targetLabel, j["probability"] = r.probability;
                for (const auto& m : metricNames()) j[m] = number(r.metrics.at(m));
                j["detail"] = r.detail;
            }
            jsonl << j.dump() << "\n";
        }
        if (!jsonl) throw Error(folder + "/rows.jsonl: cannot be written");
    }
    nlohmann::json summary{{"settings", settings}, {"methods", nlohmann::json::array()}};
    std::ofstream csv(folder + "/summary.csv");
    csv << "method,metric,n,mean,stderr\n";
    for (const auto& method : methodOrder) {
        nlohmann::json jm{{"method", method}, {"display_name", methodInfo(method).displayName}};
        for (const auto& metric : metricNames()) {
            std::vector<double> values;
            for (const auto& r : rows)
                if (r.method == method && r.error.empty()) values.push_back(r.metrics.at(metric));
            const Stat s = statOf(values);
            if (s.n == 0) continue;
            jm[metric] = {{"n", s.n}, {"mean", s.mean}, {"stderr", s.stderr_}};
            csv << method << "," << metric << "," << s.n << "," << cell(s.mean) << "," << cell(s.stderr_) << "\n";
        }
        summary["methods"].push_back(jm);
    }
    if (!csv) throw Error(folder + "/summary.csv: cannot be written");
    summary["agreement"] = writeAgreement(folder, agreements, methodOrder);
    std::ofstream(folder + "/summary.json") << summary.dump(2) << "\n";
}

int runEvaluate(const EvaluateOptions& o) {
    if (o.batch.outputDir.empty()) throw Error("give --output-dir FOLDER for rows.csv, rows.jsonl, summary.csv and summary.json");
    const auto baseline = baselineFromName(o.baseline);
    if (!baseline) throw Error("--baseline must be zero or noise, got '" + o.baseline + "'");
    if (!o.figure.empty()) checkEvaluationFigurePath(o.figure);  // before any work
    std::vector<std::string> ids = o.methods;
    if (ids.size() == 1 && ids[0] == "all") {
        ids.clear();
        for (const auto& info : attributionMethods()) ids.push_back(info.id);
    }
    const auto requests = methodRequests(ids, o.params, -1, o.seed);
    std::vector<std::string> methodOrder;
    for (const auto& r : requests) methodOrder.push_back(r.method);
    const auto manifest = o.manifest.empty() ? std::map<std::string, Interval>{} : readManifestIntervals(o.manifest);
    const auto clips = o.batch.clips();
    if (clips.empty()) throw Error("no audio files among the inputs");
    const Model model = o.batch.model.open(o.batch.quiet);
    const auto& config = model.config();

    EvaluationOptions options;
    options.target = o.target;
    options.randomisation = !o.noRandomisation;
    options.curves.baseline = *baseline;
    options.curves.frameMs = o.frameMs;
    options.curves.randomOrders = o.randomOrders;
    options.curves.seed = o.seed;

    Progress progress("evaluate", int64_t(clips.size() * requests.size()), "explanations judged", o.batch.progressMode());
    std::vector<std::vector<Row>> perClip(clips.size());
    std::vector<std::vector<AgreementRow>> perClipAgreement(clips.size());
    const int agreementFrame = frameSamples(config.sample_rate, o.frameMs);
    std::vector<std::string> failures;
    std::mutex failuresMutex;
    parallelFor(int64_t(clips.size()), [&](int64_t i) {
        const InputClip& clip = clips[size_t(i)];
        try {
            const Audio audio = loadSecond(clip.path, model, o.batch.offset);
            EvaluationOptions mine = options;
            auto word = readWordInterval(clip.path);
            if (!word) {
                const auto it = manifest.find(canonical(clip.path));
                if (it != manifest.end()) word = it->second;
            }
            if (word) {  // the analysed second starts --offset seconds in
                const int64_t shift = int64_t(std::llround(o.batch.offset * config.sample_rate));
                Interval w{std::max<int64_t>(0, word->start - shift), std::min<int64_t>(config.seq_len, word->end - shift)};
                if (w.valid(config.seq_len)) mine.word = w;
            }
            const ClipEvaluation ce = evaluateClip(model, audio.samples, requests, mine);
            perClip[size_t(i)] = rowsOf(clip, ce, config.labels);
            perClipAgreement[size_t(i)] = agreementsOf(clip, ce, agreementFrame);
        } catch (const std::exception& e) {
            for (const auto& m : methodOrder) {
                Row r;
                r.key = clip.key, r.input = clip.path, r.method = m, r.error = e.what();
                perClip[size_t(i)].push_back(r);
            }
            std::lock_guard<std::mutex> lock(failuresMutex);
            failures.push_back(clip.path + ": " + e.what());
        }
        progress.advance(int64_t(requests.size()));
    });
    std::vector<Row> rows;
    for (auto& c : perClip)
        for (auto& r : c) rows.push_back(std::move(r));
    std::vector<AgreementRow> agreements;
    for (auto& c : perClipAgreement)
        for (auto& r : c) agreements.push_back(std::move(r));
    const nlohmann::json settings{{"model", model.source()}, {"baseline", o.baseline}, {"frame_ms", o.frameMs},
                                  {"step", options.curves.step}, {"random_orders", o.randomOrders}, {"seed", o.seed},
                                  {"randomisation", options.randomisation}, {"randomisation_pass_below", Randomisation::kPassBelow},
                                  {"clips", clips.size()}, {"offset", o.batch.offset}};
    writeOutputs(o.batch.outputDir, rows, methodOrder, settings, agreements);
    progress.finish(std::to_string(failures.size()) + " clips failed");
    if (!o.figure.empty()) {
        writeFigure(o.figure, rows, methodOrder, settings);
        if (!o.batch.quiet) std::cerr << "figure in " << o.figure << "\n";
    }
    for (const auto& f : failures) std::cerr << "failed: " << f << "\n";
    if (!o.batch.quiet) std::cerr << "results in " << o.batch.outputDir << "/summary.csv (per clip: rows.csv, rows.jsonl)\n";
    return batchExitCode(long(failures.size()));
}

}  // namespace

Command addEvaluateCommand(CLI::App& app) {
    auto o = std::make_shared<EvaluateOptions>();
    auto* cmd = app.add_subcommand("evaluate", "Judge attribution methods: deletion/insertion, randomisation, localisation, conservation");
    cmd->footer(
        "Per clip and method (rows.csv, rows.jsonl with the curves): AUC of the MoRF deletion curve and of the\n"
        "insertion (LeRF) curve over 10 ms frames in 5% steps, delta_af = auc_lerf - auc_morf, the same for the\n"
        "mean of --random-orders random orders; Spearman similarity of |R| after randomising every layer from the\n"
        "decoder down (passed when below 0.5); relevance mass accuracy and pointing game where the word's interval\n"
        "is known (CLIP.word.json beside the clip, or --manifest of a data set); conservation error (per layer for LRP).\n"
        "summary.csv / summary.json: mean and standard error per method and metric. agreement.csv: Pearson,\n"
        "Spearman and top-10% frame overlap (Jaccard) of every pair of methods per clip at --frame-ms frames, their\n"
        "means in summary.json. --figure: mean curves per method and delta_af (mean +- standard error).\n"
        "Exit code 3 when clips failed.");
    o->batch.addOptions(*cmd);
    cmd->add_option("-m,--method", o->methods, "Method id(s), repeat or separate by commas; 'all' for every method")->required()->delimiter(',');
    cmd->add_option("--param", o->params, "NAME=VALUE for every chosen method that has the parameter (repeatable)");
    cmd->add_option("--target", o->target, "Class index to explain and score (default: the predicted class)");
    cmd->add_option("--seed", o->seed, "Seed of the random orders, the baseline noise, the randomised weights and the smoothgrad noise");
    cmd->add_option("--baseline", o->baseline, "What removed frames become: zero or noise (at the clip's noise floor)")
        ->check(CLI::IsMember({"zero", "noise"}));
    cmd->add_option("--frame-ms", o->frameMs, "Frame length in ms for ranking and pooling")->check(CLI::Range(0.0625, 1000.0));
    cmd->add_option("--random-orders", o->randomOrders, "Random orders averaged into the reference")->check(CLI::Range(1, 1000));
    cmd->add_flag("--no-randomisation", o->noRandomisation, "Skip the model-parameter randomisation check");
    cmd->add_option("--figure", o->figure, "Also draw the mean deletion/insertion curves per method and delta_af into FILE (.png, .svg or .pdf)");
    cmd->add_option("--manifest", o->manifest, "A data set's manifest.csv (path, offset, length): word intervals of its clips");
    return {cmd, [o] { return runEvaluate(*o); }};
}

}  // namespace s4scope::cli
