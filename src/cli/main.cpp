// s4scope-cli: batch access to the engine: classify, explain, list methods, describe a model.
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli_args.h"
#include "s4scope/attribution.h"
#include "s4scope/audio_io.h"
#include "s4scope/error.h"
#include "s4scope/explanation_io.h"
#include "s4scope/model.h"
#include "s4scope/runtime.h"

using namespace s4scope;
using cli::Args;
using cli::UsageError;

namespace {

const char* kUsage = R"(usage: s4scope-cli COMMAND [options]

commands:
  classify --input AUDIO (--model FILE | --random-init SEED) [--offset SECONDS] [--json]
      Classify one second of AUDIO (WAV, FLAC, OGG, MP3; mixed to mono, resampled to the
      model's rate, cut or zero-padded). --model takes either file of a model pair
      (NAME_config.json or NAME.pt/.pth/.safetensors) or a folder holding one pair.
  explain --input AUDIO (--model FILE | --random-init SEED) --method ID [--target K]
          [--param NAME=VALUE ...] [--seed N] [--offset SECONDS] --output FILE [--summary]
      Explain the clip for class K (default: the predicted class). FILE's extension picks the
      format: .json (method, target, logits, relevance, params, elapsed_ms, ...), .npy or .csv.
      --summary also prints the relevance per 50 ms as a bar chart.
  methods [--json]
      List the attribution methods with their parameters, defaults and ranges.
  info (--model FILE | --random-init SEED)
      Print the model's configuration and parameter count.
  help
      This text.
)";

double number(const std::string& text, const std::string& what) {
    try {
        size_t used = 0;
        const double v = std::stod(text, &used);
        if (used == text.size()) return v;
    } catch (const std::exception&) {
    }
    throw UsageError(what + " must be a number, got '" + text + "'");
}

Model openModel(const Args& args) {
    if (args.has("model")) return Model::load(args.get("model"));
    if (args.has("random-init"))
        return Model::initialised(ModelConfig{}, static_cast<uint64_t>(number(args.get("random-init"), "--random-init")));
    throw UsageError("give --model FILE or --random-init SEED");
}

Audio loadClip(const Args& args, const Model& model) {
    AudioLoadOptions options;
    options.sampleRate = model.config().sample_rate;
    options.length = model.config().seq_len;
    options.startSeconds = number(args.get("offset", "0"), "--offset");
    return loadAudio(args.required("input"), options);
}

int classify(const Args& args) {
    const Model model = openModel(args);
    const std::string input = args.required("input");
    const Audio audio = loadClip(args, model);
    const Prediction p = model.classify(audio.samples);
    if (args.has("json")) {
        nlohmann::json j = {{"input", input},          {"model", model.source()},
                            {"class", p.classIndex},   {"label", p.label},
                            {"probability", p.probability}, {"logits", p.logits},
                            {"probabilities", p.probabilities}, {"labels", model.config().labels}};
        std::cout << j.dump(2) << "\n";
        return 0;
    }
    std::cout << input << " (" << audio.sourceChannels << " ch, " << audio.sourceSampleRate << " Hz, "
              << audio.sourceFrames << " frames)\nmodel: " << model.source() << "\n\n";
    for (size_t i = 0; i < p.logits.size(); ++i) {
        std::cout << (static_cast<int64_t>(i) == p.classIndex ? "* " : "  ") << std::left << std::setw(8)
                  << model.config().labels[i] << std::right << std::fixed << std::setprecision(4) << std::setw(9)
                  << p.logits[i] << "  " << std::setprecision(1) << std::setw(5) << 100.0 * p.probabilities[i]
                  << " %\n";
    }
    std::cout << "\nprediction: " << p.label << " (" << std::setprecision(1) << 100.0 * p.probability << " %)\n";
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
                  << std::string(width, sums[b] >= 0 ? '+' : '-') << "\n";
    }
}

int explainCommand(const Args& args) {
    const std::string output = args.required("output");
    ExplainRequest request;
    request.method = args.required("method");
    methodInfo(request.method);  // an unknown id fails before the model loads
    if (args.has("target")) request.target = static_cast<int64_t>(number(args.get("target"), "--target"));
    if (args.has("seed")) request.seed = static_cast<uint64_t>(number(args.get("seed"), "--seed"));
    for (const auto& p : args.all("param")) {
        const auto eq = p.find('=');
        if (eq == std::string::npos) throw UsageError("--param takes NAME=VALUE, got '" + p + "'");
        request.params[p.substr(0, eq)] = number(p.substr(eq + 1), "--param " + p.substr(0, eq));
    }
    const Model model = openModel(args);
    const Audio audio = loadClip(args, model);
    ExplanationRecord record{explain(model, audio.samples, request), audio.samples, model.config().sample_rate,
                             model.config().labels, args.get("input"), model.source()};
    writeExplanation(output, record);
    const auto& e = record.explanation;
    std::cout << e.method << ": target " << e.target << " (" << model.config().labels[e.target] << "), "
              << e.relevance.size() << " relevance values, " << std::fixed << std::setprecision(1) << e.elapsedMs
              << " ms -> " << output << "\n";
    if (e.conservation) std::cout << "conservation: " << conservationSummary(*e.conservation) << "\n";
    if (args.has("summary")) printRelevanceProfile(e.relevance, model.config().sample_rate);
    return 0;
}

int listMethods(const Args& args) {
    if (args.has("json")) {
        nlohmann::json j = nlohmann::json::array();
        for (const auto& m : attributionMethods()) {
            nlohmann::json params = nlohmann::json::array();
            for (const auto& p : m.params)
                params.push_back({{"name", p.name}, {"default", p.defaultValue}, {"min", p.min}, {"max", p.max},
                                  {"integer", p.integer}, {"help", p.help}});
            j.push_back({{"id", m.id}, {"name", m.displayName}, {"family", familyName(m.family)},
                         {"summary", m.summary}, {"params", params}});
        }
        std::cout << j.dump(2) << "\n";
        return 0;
    }
    for (const auto& m : attributionMethods()) {
        std::cout << std::left << std::setw(22) << m.id << std::setw(12) << familyName(m.family) << m.summary << "\n";
        for (const auto& p : m.params)
            std::cout << "    " << std::setw(10) << p.name << "default " << p.defaultValue << ", range " << p.min
                      << " .. " << p.max << (p.integer ? " (integer)" : "") << ": " << p.help << "\n";
    }
    return 0;
}

int info(const Args& args) {
    const Model model = openModel(args);
    std::cout << "model: " << model.source() << "\nparameters: " << model.config().parameterCount() << "\n"
              << model.config().toJson();
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    s4scope::preferPassiveOpenMP(argv);
    const std::string command = argc > 1 ? argv[1] : "help";
    try {
        if (command == "classify") return classify(Args(argc, argv, 2, {"json"}));
        if (command == "explain") return explainCommand(Args(argc, argv, 2, {"summary"}, {"param"}));
        if (command == "methods") return listMethods(Args(argc, argv, 2, {"json"}));
        if (command == "info") return info(Args(argc, argv, 2, {}));
        if (command == "help" || command == "--help" || command == "-h") {
            std::cout << kUsage;
            return 0;
        }
        throw UsageError("unknown command '" + command + "'");
    } catch (const UsageError& e) {
        std::cerr << "s4scope-cli: " << e.what() << "\n\n" << kUsage;
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "s4scope-cli: " << e.what() << "\n";
        return 1;
    }
}
