// s4scope-cli explain: many clips x many methods, one output file per (clip, method) and
// index.jsonl; or one clip and one method into --output FILE as before.
#include <cctype>
#include <cmath>
#include <iomanip>
#include <optional>
#include <iostream>
#include <memory>
#include <sstream>

#include <CLI/CLI.hpp>

#include "batch_options.h"
#include "clip_loading.h"
#include "commands.h"
#include "method_requests.h"
#include "output_index.h"
#include "s4scope/attribution.h"
#include "s4scope/error.h"
#include "s4scope/explanation_io.h"
#include "s4scope/parallel.h"
#include "tf/tf_explanation.h"
#include "tf_output.h"

namespace s4scope::cli {
namespace {

struct ExplainOptions {
    BatchOptions batch;
    std::vector<std::string> methods;
    std::vector<std::string> params;
    int64_t target = -1;
    uint64_t seed = 0;
    std::string format = "npy";
    std::string output;  // one clip, one method: this file
    bool summary = false;
    // Issue 17: time–frequency relevance beside the explanation, and listenable masked audio.
    bool timeFrequency = false;
    double tfEpsilon = 1e-9;
    std::string listen;  // for | against | rest | strongest: write the masked clip to --output (.wav)
    double topPercent = 100;
};

std::string lowerExtension(const std::string& path) {
    std::string ext = path.size() >= 4 ? path.substr(path.size() - 4) : "";
    for (auto& c : ext) c = char(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

// --listen: the clip resynthesised from the coefficients the mask keeps, classified again.
int listenToOneFile(const ExplainOptions& o, const Model& model, const ExplanationRecord& record) {
    if (lowerExtension(o.output) != ".wav") throw Error("--listen writes audio: give --output FILE.wav, not '" + o.output + "'");
    signal::ListenMask kind;
    try {
        kind = signal::parseListenMask(o.listen);
    } catch (const std::invalid_argument& e) {
        throw Error(std::string("--listen: ") + e.what());
    }
    const auto tf = tfRelevanceOf(record, o.tfEpsilon);
    const signal::Stft stft = signal::Stft::forSampleRate(record.sampleRate);
    const auto masked = tf::classifyMasked(model, stft, stft.forward(record.clip), tf, record.explanation.target, kind, o.topPercent);
    writeWav(o.output, masked.audio.samples, record.sampleRate);
    const auto& e = record.explanation;
    const auto original = predictionFromLogits(e.logits, model.config().labels);
    std::cout << std::fixed << std::setprecision(1) << e.method << ", \"" << o.listen << "\" at the top " << o.topPercent
              << " % of |R[f,t]|: " << 100 * masked.audio.keptCoefficients << " % of the coefficients, "
              << 100 * masked.audio.keptEnergy << " % of the energy -> " << o.output << "\n"
              << std::setprecision(4) << "target " << e.target << " (" << model.config().labels[size_t(e.target)]
              << "): probability " << masked.targetProbability << " on the masked clip, "
              << original.probabilities[size_t(e.target)] << " on the clip; the masked clip is classified as "
              << masked.prediction.label << " (" << masked.prediction.probability << ")\n";
    return 0;
}

// Sum of relevance per 50 ms, as a bar chart: '+' for evidence for the target, '-' against.
void printRelevanceProfile(const std::vector<float>& relevance, int sampleRate) {
    const size_t bin = static_cast<size_t>(sampleRate / 20);
    std::vector<double> sums;
    for (size_t start = 0; start < relevance.size(); start += bin) {
        double s = 0;
        for (size_t i = start; i < std::min(relevance.size(), start + bin); ++i) s += relevance[i];
        sums.push_back(s);
    }
    double peak = 0;
    for (double s : sums) peak = std::max(peak, std::abs(s));
    std::cout << "\nrelevance per 50 ms (bar length relative to the largest |sum|):\n";
    for (size_t b = 0; b < sums.size(); ++b) {
        const int width = peak > 0 ? static_cast<int>(std::lround(30 * std::abs(sums[b]) / peak)) : 0;
        std::cout << std::setw(6) << std::setprecision(2) << double(b * bin) / sampleRate << " s  " << std::setw(11)
                  << std::setprecision(4) << std::showpos << sums[b] << std::noshowpos << "  "
                  << std::string(size_t(width), sums[b] >= 0 ? '+' : '-') << "\n";
    }
}

int explainOneFile(const ExplainOptions& o, const std::vector<ExplainRequest>& requests) {
    const auto clips = expandInputs(o.batch.inputs);
    if (clips.size() != 1 || requests.size() != 1)
        throw Error("--output FILE takes one clip and one method; for more use --output-dir FOLDER");
    const Model model = o.batch.model.open(true);  // said on stdout below
    const Audio audio = loadSecond(clips[0].path, model, o.batch.offset);
    ExplanationRecord record{explain(model, audio.samples, requests[0]), audio.samples, model.config().sample_rate,
                             model.config().labels, clips[0].path, model.source(), o.batch.offset};
    if (!o.listen.empty()) return listenToOneFile(o, model, record);
    std::optional<signal::TfRelevance> tf;
    std::vector<std::string> tfFiles;
    if (o.timeFrequency) {
        tf = tfRelevanceOf(record, o.tfEpsilon);
        tfFiles = writeExplanationWithTf(o.output, record, *tf, o.tfEpsilon,
                                         [](const std::string& path, const auto& write) { write(path); });
    } else {
        writeExplanation(o.output, record);
    }
    const auto& e = record.explanation;
    std::cout << e.method << ": target " << e.target << " (" << model.config().labels[size_t(e.target)] << "), "
              << e.relevance.size() << " relevance values, " << std::fixed << std::setprecision(1) << e.elapsedMs
              << " ms -> " << o.output << "\nmodel: " << o.batch.model.describe(model) << "\n";
    if (e.conservation) std::cout << "conservation: " << conservationSummary(*e.conservation) << "\n";
    if (tf) {
        std::cout << "time-frequency: " << tf->frames << " frames x " << tf->bins << " bins; sum R[f,t] / sum R[n] = "
                  << std::setprecision(4) << tf->conservationShare() << ", lost at zero samples " << tf->lostShareAtZero() << "\n";
        for (const auto& file : tfFiles) std::cout << "  " << file << "\n";
    }
    if (o.summary) printRelevanceProfile(e.relevance, model.config().sample_rate);
    return 0;
}

nlohmann::json paramsJson(const MethodParams& params) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [k, v] : params) j[k] = v;
    return j;
}

int explainBatch(const ExplainOptions& o, const std::vector<ExplainRequest>& requests) {
    if (o.batch.outputDir.empty()) throw Error("give --output-dir FOLDER (or --output FILE for one clip and one method)");
    if (!o.listen.empty()) throw Error("--listen takes one clip and one method: give --output FILE.wav");
    if (o.format != "npy" && o.format != "json" && o.format != "csv")
        throw Error("--format must be npy, json or csv, got '" + o.format + "'");
    const auto clips = o.batch.clips();
    const Model model = o.batch.model.open(o.batch.quiet);
    const auto done = o.batch.resume ? completedPairs(o.batch.outputDir) : decltype(completedPairs("")){};
    IndexWriter index(o.batch.outputDir, o.batch.resume);

    // Per clip, the methods still to do.
    std::vector<std::pair<size_t, std::vector<size_t>>> work;
    int64_t pairs = 0, skipped = 0;
    for (size_t c = 0; c < clips.size(); ++c) {
        std::vector<size_t> pending;
        for (size_t m = 0; m < requests.size(); ++m) {
            if (done.count({clips[c].key, requests[m].method})) ++skipped;
            else pending.push_back(m);
        }
        pairs += int64_t(pending.size());
        if (!pending.empty()) work.emplace_back(c, std::move(pending));
    }
    if (skipped > 0) std::cerr << "resume: " << skipped << " explanations already done, " << pairs << " to do\n";

    const auto& labels = model.config().labels;
    Progress progress("explain", pairs, "explanations", o.batch.progressMode());
    std::vector<std::string> failures;
    for (size_t first = 0; first < work.size(); first += size_t(o.batch.chunk)) {
        const size_t count = std::min(work.size() - first, size_t(o.batch.chunk));
        std::vector<std::vector<nlohmann::json>> lines(count);
        parallelFor(int64_t(count), [&](int64_t i) {
            const auto& [c, pending] = work[first + size_t(i)];
            const InputClip& clip = clips[c];
            auto base = [&](size_t m) {
                return nlohmann::json{{"key", clip.key}, {"input", clip.path}, {"method", requests[m].method},
                                      {"method_rank", m}, {"offset", o.batch.offset}};
            };
            Audio audio;
            try {
                audio = loadSecond(clip.path, model, o.batch.offset);
            } catch (const std::exception& e) {
                for (size_t m : pending) {
                    auto line = base(m);
                    line["status"] = "error";
                    line["error"] = e.what();
                    lines[size_t(i)].push_back(line);
                }
                progress.advance(int64_t(pending.size()));
                return;
            }
            for (size_t m : pending) {
                auto line = base(m);
                try {
                    ExplanationRecord record{explain(model, audio.samples, requests[m]), audio.samples,
                                             model.config().sample_rate, labels, clip.path, model.source(), o.batch.offset};
                    const auto& e = record.explanation;
                    const std::string name = outputNameFor(clip.key, e.method, o.format);
                    if (o.timeFrequency) {
                        const auto tf = tfRelevanceOf(record, o.tfEpsilon);
                        writeExplanationWithTf(o.batch.outputDir + "/" + name, record, tf, o.tfEpsilon, writeFileAtomically);
                        line["tf_conservation_share"] = tf.conservationShare();
                        line["tf_lost_share_at_zero"] = tf.lostShareAtZero();
                    } else {
                        writeFileAtomically(o.batch.outputDir + "/" + name,
                                            [&](const std::string& path) { writeExplanation(path, record); });
                    }
                    const Prediction p = predictionFromLogits(e.logits, labels);
                    line["status"] = "ok";
                    line["output"] = name;
                    line["target"] = e.target;
                    line["target_label"] = e.target < int64_t(labels.size()) ? labels[size_t(e.target)] : "";
                    line["predicted"] = p.classIndex;
                    line["predicted_label"] = p.label;
                    line["probability"] = p.probability;
                    line["logits"] = e.logits;
                    line["params"] = paramsJson(e.params);
                    line["elapsed_ms"] = e.elapsedMs;
                    if (e.conservation) {
                        line["conservation_expected"] = e.conservation->expected;
                        line["conservation_relative_error"] = e.conservation->relativeError();
                    }
                } catch (const std::exception& e) {
                    line["status"] = "error";
                    line["error"] = e.what();
                }
                lines[size_t(i)].push_back(line);
                progress.advance();
            }
        });
        std::vector<nlohmann::json> flat;
        for (auto& l : lines)
            for (auto& j : l) {
                if (j["status"] == "error") failures.push_back(j["input"].get<std::string>() + " [" + j["method"].get<std::string>() + "]: " + j["error"].get<std::string>());
                flat.push_back(std::move(j));
            }
        index.write(flat);
    }
    progress.finish(std::to_string(failures.size()) + " failed");
    for (const auto& f : failures) std::cerr << "failed: " << f << "\n";
    if (!o.batch.quiet) std::cerr << "results in " << o.batch.outputDir << "/" << kIndexName << "\n";
    return batchExitCode(long(failures.size()));
}

}  // namespace

Command addExplainCommand(CLI::App& app) {
    auto o = std::make_shared<ExplainOptions>();
    auto* cmd = app.add_subcommand("explain", "Explain clips with one or more attribution methods");
    cmd->footer(
        "Many clips and methods: one file per (clip, method) in --output-dir (KEY.METHOD.FORMAT, where KEY is the\n"
        "input path made relative) plus index.jsonl, one JSON line per (clip, method): status, output, target,\n"
        "predicted class, logits, params, elapsed_ms, or the error. Clips run in parallel on all cores.\n"
        "One clip and one method: --output FILE (.json, .npy or .csv) as in earlier versions.\n"
        "Listening: --listen for|against|rest [--top K] --output FILE.wav writes the clip resynthesised from the\n"
        "STFT coefficients the mask keeps and prints the target's probability on it.\n"
        "Exit code 3 when some inputs failed (they are listed; the others complete).");
    o->batch.addOptions(*cmd);
    cmd->add_option("-m,--method", o->methods, "Attribution method id(s); repeat or separate by commas")->required()->delimiter(',');
    cmd->add_option("--param", o->params, "NAME=VALUE for every chosen method that has the parameter (repeatable)");
    cmd->add_option("--target", o->target, "Class index to explain (default: the predicted class)");
    cmd->add_option("--seed", o->seed, "Seed of the smoothgrad family's noise");
    cmd->add_option("--format", o->format, "Per-file format in --output-dir: npy, json or csv")->check(CLI::IsMember({"npy", "json", "csv"}));
    cmd->add_option("-o,--output", o->output, "One clip and one method: write this file (.json, .npy or .csv)");
    cmd->add_flag("--summary", o->summary, "With --output: print the relevance per 50 ms as a bar chart");
    cmd->add_flag("--time-frequency", o->timeFrequency,
                  "Also the relevance in time and frequency R[f,t] (DFT-LRP through a tight-frame STFT, 25 ms Hann, "
                  "quarter hop): JSON gains tf_relevance (frames x bins), tf_times_s, tf_frequencies_hz, "
                  "tf_frequency_profile and tf_conservation; NPY output gains STEM.tf_relevance.npy, "
                  "STEM.tf_times_s.npy and STEM.tf_frequencies_hz.npy; CSV gains STEM.tf.csv");
    cmd->add_option("--tf-epsilon", o->tfEpsilon, "Stabiliser of the time-frequency epsilon rule")
        ->check(CLI::Range(1e-12, 1.0));
    auto* listen = cmd->add_option("--listen", o->listen,
                                   "Write the clip resynthesised from the STFT coefficients speaking for the target "
                                   "(for), against it (against), everything but 'for' (rest) or the strongest of "
                                   "either sign (strongest) to --output FILE.wav, and classify it again")
                       ->check(CLI::IsMember({"for", "against", "rest", "strongest"}));
    cmd->add_option("--top", o->topPercent, "With --listen: keep only the top K % of coefficients by |R[f,t]| (default 100)")
        ->check(CLI::Range(0.0, 100.0))
        ->needs(listen);
    return {cmd, [o] {
                const auto requests = methodRequests(o->methods, o->params, o->target, o->seed);
                return o->output.empty() ? explainBatch(*o, requests) : explainOneFile(*o, requests);
            }};
}

}  // namespace s4scope::cli
