// s4scope-cli: batch access to the engine (classify now; explain / compare / export as they land).
#include <cstdio>
#include <iomanip>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli_args.h"
#include "s4scope/audio_io.h"
#include "s4scope/error.h"
#include "s4scope/model.h"

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
  info (--model FILE | --random-init SEED)
      Print the model's configuration and parameter count.
  help
      This text.
)";

Model openModel(const Args& args) {
    if (args.has("model")) return Model::load(args.get("model"));
    if (args.has("random-init")) return Model::initialised(ModelConfig{}, std::stoull(args.get("random-init")));
    throw UsageError("give --model FILE or --random-init SEED");
}

int classify(const Args& args) {
    const Model model = openModel(args);
    AudioLoadOptions options;
    options.sampleRate = model.config().sample_rate;
    options.length = model.config().seq_len;
    options.startSeconds = std::stod(args.get("offset", "0"));
    const std::string input = args.required("input");
    const Audio audio = loadAudio(input, options);
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

int info(const Args& args) {
    const Model model = openModel(args);
    std::cout << "model: " << model.source() << "\nparameters: " << model.config().parameterCount() << "\n"
              << model.config().toJson();
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string command = argc > 1 ? argv[1] : "help";
    try {
        if (command == "classify") return classify(Args(argc, argv, 2, {"json"}));
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
