// s4scope-cli classify: many clips in batches (decoding in parallel, one batched forward pass per
// chunk split over the cores); one clip prints the detailed table as in earlier versions.
#include <iomanip>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "batch_options.h"
#include "clip_loading.h"
#include "commands.h"
#include "output_index.h"
#include "s4scope/error.h"
#include "s4scope/parallel.h"

namespace s4scope::cli {
namespace {

struct ClassifyOptions {
    BatchOptions batch;
    bool json = false;
};

int classifyOne(const ClassifyOptions& o, const InputClip& clip) {
    const Model model = o.batch.model.open(true);
    const Audio audio = loadSecond(clip.path, model, o.batch.offset);
    const Prediction p = model.classify(audio.samples);
    const auto& labels = model.config().labels;
    if (o.json) {
        nlohmann::json j = {{"input", clip.path},          {"model", model.source()},
                            {"bundled_model", o.batch.model.path.empty() && !o.batch.model.randomSeed},
                            {"offset", o.batch.offset},    {"class", p.classIndex},
                            {"label", p.label},            {"probability", p.probability},
                            {"logits", p.logits},          {"probabilities", p.probabilities},
                            {"labels", labels}};
        std::cout << j.dump(2) << "\n";
        return 0;
    }
    std::cout << clip.path << " (" << audio.sourceChannels << " ch, " << audio.sourceSampleRate << " Hz, "
              << audio.sourceFrames << " frames)\nmodel: " << o.batch.model.describe(model) << "\n\n";
    for (size_t i = 0; i < p.logits.size(); ++i) {
        std::cout << (static_cast<int64_t>(i) == p.classIndex ? "* " : "  ") << std::left << std::setw(8) << labels[i]
                  << std::right << std::fixed << std::setprecision(4) << std::setw(9) << p.logits[i] << "  "
                  << std::setprecision(1) << std::setw(5) << 100.0 * p.probabilities[i] << " %\n";
    }
    std::cout << "\nprediction: " << p.label << " (" << std::setprecision(1) << 100.0 * p.probability << " %)\n";
    return 0;
}

int classifyBatch(const ClassifyOptions& o, const std::vector<InputClip>& clips) {
    const Model model = o.batch.model.open(o.batch.quiet);
    const int64_t T = model.config().seq_len;
    const auto& labels = model.config().labels;
    const bool toFolder = !o.batch.outputDir.empty();
    const auto done = toFolder && o.batch.resume ? completedPairs(o.batch.outputDir) : decltype(completedPairs("")){};
    std::unique_ptr<IndexWriter> index;
    if (toFolder) index = std::make_unique<IndexWriter>(o.batch.outputDir, o.batch.resume);
    std::vector<const InputClip*> todo;
    for (const auto& c : clips)
        if (!done.count({c.key, "classify"})) todo.push_back(&c);
    if (todo.size() < clips.size())
        std::cerr << "resume: " << clips.size() - todo.size() << " clips already done, " << todo.size() << " to do\n";

    Progress progress("classify", int64_t(todo.size()), "clips", o.batch.progressMode());
    std::vector<std::string> failures;
    std::vector<float> buffer;
    for (size_t first = 0; first < todo.size(); first += size_t(o.batch.chunk)) {
        const size_t count = std::min(todo.size() - first, size_t(o.batch.chunk));
        buffer.assign(count * size_t(T), 0.0f);
        std::vector<std::string> errors(count);
        parallelFor(int64_t(count), [&](int64_t i) {
            try {
                const Audio a = loadSecond(todo[first + size_t(i)]->path, model, o.batch.offset);
                std::copy(a.samples.begin(), a.samples.end(), buffer.begin() + i * T);
            } catch (const std::exception& e) {
                errors[size_t(i)] = e.what();
            }
        });
        // The good clips packed together for one batched forward pass.
        std::vector<size_t> good;
        for (size_t i = 0; i < count; ++i)
            if (errors[i].empty()) {
                if (good.size() != i) std::copy_n(buffer.begin() + int64_t(i) * T, T, buffer.begin() + int64_t(good.size()) * T);
                good.push_back(i);
            }
        const std::vector<float> logits = good.empty() ? std::vector<float>{} : model.logits(buffer.data(), int64_t(good.size()));
        const size_t C = labels.size();
        std::vector<nlohmann::json> lines(count);
        for (size_t g = 0; g < good.size(); ++g) {
            const Prediction p = predictionFromLogits(std::vector<float>(logits.begin() + int64_t(g * C), logits.begin() + int64_t((g + 1) * C)), labels);
            lines[good[g]] = {{"status", "ok"}, {"predicted", p.classIndex}, {"label", p.label},
                              {"probability", p.probability}, {"logits", p.logits}};
        }
        for (size_t i = 0; i < count; ++i) {
            const InputClip& clip = *todo[first + i];
            if (!errors[i].empty()) {
                lines[i] = {{"status", "error"}, {"error", errors[i]}};
                failures.push_back(clip.path + ": " + errors[i]);
            }
            lines[i]["key"] = clip.key;
            lines[i]["input"] = clip.path;
            lines[i]["method"] = "classify";
            lines[i]["offset"] = o.batch.offset;
            if (toFolder) continue;
            if (o.json) std::cout << lines[i].dump() << "\n";
            else if (errors[i].empty())
                std::cout << std::left << std::setw(8) << lines[i]["label"].get<std::string>() << std::right << std::fixed
                          << std::setprecision(1) << std::setw(6) << 100.0 * lines[i]["probability"].get<double>() << " %  "
                          << clip.path << "\n";
        }
        if (index) index->write(lines);
        progress.advance(int64_t(count));
    }
    progress.finish(std::to_string(failures.size()) + " failed");
    for (const auto& f : failures) std::cerr << "failed: " << f << "\n";
    return batchExitCode(long(failures.size()));
}

}  // namespace

Command addClassifyCommand(CLI::App& app) {
    auto o = std::make_shared<ClassifyOptions>();
    auto* cmd = app.add_subcommand("classify", "Classify the second at --offset of each clip");
    cmd->footer(
        "One clip: the logits and probabilities of every class. Several: one line per clip (label, probability,\n"
        "path), or JSON lines with --json, or index.jsonl in --output-dir. Clips are decoded in parallel and\n"
        "classified in batches on all cores. Exit code 3 when some inputs failed (listed; the others complete).");
    o->batch.addOptions(*cmd);
    cmd->add_flag("--json", o->json, "JSON output");
    return {cmd, [o] {
                const auto clips = o->batch.clips();
                const bool single = o->batch.inputs.size() == 1 && clips.size() == 1 && clips[0].path == o->batch.inputs[0] &&
                                    o->batch.outputDir.empty();
                return single ? classifyOne(*o, clips[0]) : classifyBatch(*o, clips);
            }};
}

}  // namespace s4scope::cli
