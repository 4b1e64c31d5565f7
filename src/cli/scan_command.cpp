// s4scope-cli scan: keyword timelines of long recordings (DESIGN.md §9) as CSV or JSON.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "batch_options.h"
#include "commands.h"
#include "output_index.h"
#include "s4scope/audio_io.h"
#include "s4scope/error.h"
#include "s4scope/scan.h"
#include "s4scope/scan_io.h"

namespace s4scope::cli {
namespace {
namespace fs = std::filesystem;

struct ScanCommandOptions {
    BatchOptions batch;
    ScanOptions scan;
    std::string output;  // one recording: this file (.csv or .json)
    std::string format = "json";
    bool timeline = false;  // CSV: every window instead of the detections
};

void writeText(const std::string& path, const std::string& text) {
    writeFileAtomically(path, [&](const std::string& temporary) {
        std::ofstream out(temporary, std::ios::trunc);
        out << text;
        if (!out) throw Error(path + ": cannot write this file");
    });
}

std::string formatOf(const std::string& path, const std::string& fallback) {
    const std::string ext = fs::path(path).extension().string();
    if (ext == ".csv") return "csv";
    if (ext == ".json") return "json";
    if (path.empty()) return fallback;
    throw Error(path + ": the scan output must end in .csv or .json");
}

int runScan(const ScanCommandOptions& o) {
    if (o.format != "csv" && o.format != "json") throw Error("--format must be csv or json");
    const auto clips = o.batch.clips();
    if (!o.output.empty() && clips.size() != 1) throw Error("--output FILE takes one recording; for more use --output-dir FOLDER");
    const Model model = o.batch.model.open(o.batch.quiet);
    const auto& labels = model.config().labels;
    const bool toFolder = !o.batch.outputDir.empty();
    const auto done = toFolder && o.batch.resume ? completedPairs(o.batch.outputDir) : decltype(completedPairs("")){};
    std::unique_ptr<IndexWriter> index;
    if (toFolder) index = std::make_unique<IndexWriter>(o.batch.outputDir, o.batch.resume);
    long failed = 0;
    for (const auto& clip : clips) {
        if (done.count({clip.key, "scan"})) continue;
        nlohmann::json line = {{"key", clip.key}, {"input", clip.path}, {"method", "scan"}};
        try {
            AudioLoadOptions load;
            load.sampleRate = model.config().sample_rate;
            load.length = 0;  // the whole recording
            const Audio audio = loadAudio(clip.path, load);
            // Windows as scanRecording places them: every hop, the last one reaching the end.
            const int64_t n = int64_t(audio.samples.size()), T = model.config().seq_len;
            const int64_t hop = std::max<int64_t>(1, std::llround(o.scan.hopSeconds * model.config().sample_rate));
            const int64_t windows = n <= T ? 1 : (n - T + hop - 1) / hop + 1;
            Progress progress("scan " + fs::path(clip.path).filename().string(), windows, "windows", o.batch.progressMode());
            ScanOptions options = o.scan;
            int64_t shown = 0;
            options.progress = [&](double f) {
                const int64_t now = std::llround(f * double(windows));
                progress.advance(now - shown);
                shown = now;
            };
            const ScanResult r = scanRecording(model, audio.samples, options);
            progress.finish(std::to_string(r.windows.size()) + " windows, " + std::to_string(r.detections.size()) + " detections");
            const std::string format = formatOf(o.output, o.format);
            const std::string text = format == "csv" ? scanCsv(r, labels, o.timeline)
                                                     : scanJson(r, labels, clip.path, model.source(), o.scan);
            if (!o.output.empty()) writeText(o.output, text);
            else if (toFolder) {
                const std::string name = outputNameFor(clip.key, "scan", format);
                writeText(o.batch.outputDir + "/" + name, text);
                line["output"] = name;
            } else {
                std::cout << "# " << clip.path << " (" << std::fixed << std::setprecision(1) << r.duration << " s)\n" << text;
            }
            line["status"] = "ok";
            line["detections"] = r.detections.size();
            line["duration_s"] = r.duration;
        } catch (const std::exception& e) {
            line["status"] = "error";
            line["error"] = e.what();
            std::cerr << "failed: " << clip.path << ": " << e.what() << "\n";
            ++failed;
        }
        if (index) index->write({line});
    }
    return batchExitCode(failed);
}

}  // namespace

Command addScanCommand(CLI::App& app) {
    auto o = std::make_shared<ScanCommandOptions>();
    auto* cmd = app.add_subcommand("scan", "Keyword timeline of long recordings (a sliding one-second window)");
    cmd->footer(
        "Classifies a one-second window every --hop seconds over the whole recording, in batches on all cores.\n"
        "A detection is a run of windows with the same top class whose probability reaches --threshold and\n"
        "whose loudest 100 ms reach --gate-db (the speech gate), held for --min-run seconds; a detection sharing\n"
        "more than --max-overlap of its span with a stronger one of another keyword is dropped. CSV lists the detections (or every window\n"
        "with --timeline); JSON holds both.");
    o->batch.addOptions(*cmd, false);
    cmd->add_option("--hop", o->scan.hopSeconds, "Seconds between window starts")->check(CLI::PositiveNumber);
    cmd->add_option("--threshold", o->scan.threshold, "Top-class probability a window needs")->check(CLI::Range(0.0, 1.0));
    cmd->add_option("--gate-db", o->scan.gateDb, "Speech gate: level (dBFS) the loudest 100 ms of a window must reach");
    cmd->add_option("--min-run", o->scan.minRunSeconds, "Seconds of window positions a detection must hold (drops words cut by the window's edge)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--max-overlap", o->scan.maxOverlap,
                    "Drop a detection sharing more than this fraction of its span with a stronger one of another keyword (1: keep all)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--batch", o->scan.batchSize, "Windows classified together")->check(CLI::Range(1, 65536));
    cmd->add_option("-o,--output", o->output, "One recording: write this file (.csv or .json)");
    cmd->add_option("--format", o->format, "Format in --output-dir: csv or json")->check(CLI::IsMember({"csv", "json"}));
    cmd->add_flag("--timeline", o->timeline, "CSV: every window (start, label, probability, level, speech)");
    return {cmd, [o] { return runScan(*o); }};
}

}  // namespace s4scope::cli
