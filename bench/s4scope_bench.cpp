// s4scope-bench: times the targets of DESIGN.md §6 and, in the same run, a naive reference, so
// that speed-ups are reported as ratios that survive a noisy shared machine.
//
//   s4scope-bench [--out FILE.json] [--memory-rounds N] [--quick]
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <thread>

#include <nlohmann/json.hpp>

#include "model/model_impl.h"
#include "naive_reference.h"
#include "s4scope/attribution.h"
#include "s4scope/audio_io.h"
#include "s4scope/model.h"
#include "s4scope/runtime.h"
#include "signal/tf_relevance.h"
#include "tf/tf_explanation.h"

using namespace s4scope;
using Clock = std::chrono::steady_clock;

namespace {

struct Timing {
    double medianMs = 0, minMs = 0;
    int reps = 0;
};

// Median over at least `minReps` runs and at least `minSeconds` of running, after one warm-up.
Timing measure(const std::function<void()>& f, int minReps, double minSeconds) {
    f();
    std::vector<double> ms;
    const auto start = Clock::now();
    while (static_cast<int>(ms.size()) < minReps ||
           std::chrono::duration<double>(Clock::now() - start).count() < minSeconds) {
        const auto a = Clock::now();
        f();
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - a).count());
        if (ms.size() >= 1000) break;
    }
    std::sort(ms.begin(), ms.end());
    return {ms[ms.size() / 2], ms.front(), static_cast<int>(ms.size())};
}

// Several measurements interleaved: round after round, each entry runs for about `sliceMs` (at
// least once), so a burst of load on a shared host lands on all of them instead of on whichever
// was being timed; medians per entry over all rounds. At least `minRounds` rounds and `minSeconds`.
std::vector<Timing> measureInterleaved(const std::vector<std::function<void()>>& fs, int minRounds, double minSeconds,
                                       double sliceMs = 20) {
    std::vector<int> repeats;
    for (const auto& f : fs) {
        f();  // warm-up, which also sizes the entry's share of a round
        const auto a = Clock::now();
        f();
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - a).count();
        repeats.push_back(std::max(1, static_cast<int>(sliceMs / std::max(ms, 1e-3))));
    }
    std::vector<std::vector<double>> samples(fs.size());
    const auto start = Clock::now();
    for (int round = 0; round < minRounds || std::chrono::duration<double>(Clock::now() - start).count() < minSeconds;
         ++round) {
        for (size_t i = 0; i < fs.size(); ++i)
            for (int k = 0; k < repeats[i]; ++k) {
                const auto a = Clock::now();
                fs[i]();
                samples[i].push_back(std::chrono::duration<double, std::milli>(Clock::now() - a).count());
            }
    }
    std::vector<Timing> out;
    for (auto& ms : samples) {
        std::sort(ms.begin(), ms.end());
        out.push_back({ms[ms.size() / 2], ms.front(), static_cast<int>(ms.size())});
    }
    return out;
}

double peakRssMiB() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
    return 0;
}

std::string firstLineOf(const std::string& command) {
    std::string out;
    if (FILE* p = popen(command.c_str(), "r")) {
        char buf[512];
        if (fgets(buf, sizeof buf, p)) out = buf;
        pclose(p);
    }
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return out;
}

nlohmann::json machine() {
    return {{"cpu", firstLineOf("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2")},
            {"cores", std::thread::hardware_concurrency()},
            {"torch_threads", at::get_num_threads()},
            {"blas", firstLineOf("readlink -f /etc/alternatives/libblas.so.3-x86_64-linux-gnu")},
            {"libtorch", TORCH_VERSION},
            {"date", firstLineOf("date -u +%Y-%m-%dT%H:%M:%SZ")},
            {"load_average_at_start", firstLineOf("cut -d' ' -f1-3 /proc/loadavg")}};
}

// DESIGN.md §6, as (result name, target in ms).
const std::vector<std::pair<std::string, double>> kTargets = {
    {"forward/batch1", 1.0},
    {"method/gradient", 3.0},
    {"method/lrp_z", 3.0},
    {"method/lrp_epsilon", 3.0},
    {"method/lrp_gamma", 3.0},
    {"method/lrp_alpha1_beta0", 3.0},
    {"method/lrp_alpha2_beta1", 3.0},
    {"method/lrp_zplus", 3.0},
    {"method/lrp_flat", 3.0},
    {"method/lrp_w_square", 3.0},
    {"method/lrp_epsilon_sign", 3.0},
    {"method/lrp_z_sign", 3.0},
    {"method/lrp_composite", 3.0},
    {"method/integrated_gradients", 100.0},
    {"method/smoothgrad", 100.0},
    {"all 22 methods in sequence", 500.0},
    {"live update (chunk in -> lrp_epsilon ready)", 50.0},
    {"time-frequency relevance (on top of the method)", 5.0},
    {"long L=16000 s4d/gradient", 1000.0},
    {"long L=16000 s4d/lrp_epsilon", 1000.0},
    {"long L=16000 s4block/gradient", 1000.0},
    {"long L=16000 s4block/lrp_epsilon", 1000.0},
};

std::string bundledModel() {
    const std::string dir = S4SCOPE_SOURCE_DIR "/resources/models";
    try {
        resolveModelFiles(dir);
        return dir;
    } catch (const Error&) {
        return "";
    }
}

}  // namespace

int main(int argc, char** argv) {
    s4scope::preferPassiveOpenMP(argv);
    std::string outPath = "bench-results.json";
    int memoryRounds = 100;
    bool quick = false;
    bool longOnly = false;  // only example.py's backbone at L = 16000 (issue 20)
    std::string profileMethod;
    int profileRepeats = 0;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--out" && i + 1 < argc) outPath = argv[++i];
        else if (a == "--memory-rounds" && i + 1 < argc) memoryRounds = std::atoi(argv[++i]);
        else if (a == "--quick") quick = true;
        else if (a == "--long-only") longOnly = true;
        else if (a == "--profile" && i + 2 < argc) {
            profileMethod = argv[++i];
            profileRepeats = std::atoi(argv[++i]);
        } else {
            std::cerr << "usage: s4scope-bench [--out FILE.json] [--memory-rounds N] [--quick] [--long-only]\n"
                         "       s4scope-bench --profile METHOD REPEATS   (only explain METHOD, for perf record)\n";
            return 2;
        }
    }
    const double minSeconds = quick ? 0.2 : 1.0;
    const int minReps = quick ? 3 : 10;

    const std::string modelPath = bundledModel();
    const Model model = modelPath.empty() ? Model::initialised(ModelConfig{}, 0) : Model::load(modelPath);
    const auto clip = loadAudio(S4SCOPE_SOURCE_DIR "/resources/clips/yes.wav").samples;
    nlohmann::json info = machine();  // after the model: loading it sets libtorch's thread count
    const int64_t T = model.config().seq_len;
    if (!profileMethod.empty()) {
        ExplainRequest r;
        r.method = profileMethod;
        const Timing t = measure([&] { explain(model, clip, r); }, profileRepeats, 0);
        std::printf("%s: median %.3f ms over %d runs\n", profileMethod.c_str(), t.medianMs, t.reps);
        return 0;
    }
    nlohmann::json results = nlohmann::json::object();
    auto record = [&](const std::string& name, const Timing& t) {
        results[name] = {{"median_ms", t.medianMs}, {"min_ms", t.minMs}, {"reps", t.reps}};
        std::printf("%-36s %10.3f ms  (min %.3f, %d runs)\n", name.c_str(), t.medianMs, t.minMs, t.reps);
        std::fflush(stdout);
    };

    // example.py's backbone on raw 16 kHz audio (Linear encoder, L = 16000: the S4 convolution by
    // FFT), at example.py's sizes (d_model 128, 4 layers, d_state 64), with s4d.py's S4D and with
    // s4.py's S4Block (DPLR). The kernels are computed once per model (the first call).
    auto longBackbones = [&] {
        for (const std::string layer : {"s4d", "s4block"}) {
            ModelConfig c;
            c.encoder = "linear";
            c.downsample = 1;
            c.n_layers = 4;
            c.s4.layer = layer;
            c.s4.mode = layer == "s4d" ? "diag" : "dplr";
            const Model longModel = Model::initialised(c, 1);
            const auto kernelStart = Clock::now();
            longModel.logits(clip);
            std::printf("long L=16000 %s: kernels and first forward %.0f ms (load %s)\n", layer.c_str(),
                        std::chrono::duration<double, std::milli>(Clock::now() - kernelStart).count(),
                        firstLineOf("cut -d' ' -f1-3 /proc/loadavg").c_str());
            for (const std::string method : {"gradient", "lrp_epsilon"}) {
                ExplainRequest r;
                r.method = method;
                record("long L=16000 " + layer + "/" + method,
                       measure([&] { explain(longModel, clip, r); }, quick ? 2 : 5, minSeconds));
            }
        }
    };
    if (longOnly) {
        longBackbones();
        std::printf("load average %s\n", firstLineOf("cut -d' ' -f1-3 /proc/loadavg").c_str());
        return 0;
    }

    // The single-clip forward pass, the naive reference and every method on one clip, interleaved
    // (see measureInterleaved), so the targets and the ratios come from the same rounds.
    auto& net = *model.impl().module;
    const auto x = torch::tensor(clip).view({1, 1, T});
    const int64_t target = model.classify(clip).classIndex;
    std::vector<std::string> names = {"forward/batch1", "naive/forward/batch1", "naive/gradient"};
    std::vector<std::function<void()>> runs = {
        [&] { model.logits(clip); },
        [&] {
            torch::NoGradGuard g;
            s4bench::naiveForward(net, x);
        },
        [&] { s4bench::naiveGradient(net, x, target); }};
    std::vector<ExplainRequest> requests;
    for (const auto& info : attributionMethods()) {
        requests.emplace_back();
        requests.back().method = info.id;
    }
    for (const auto& r : requests) {
        names.push_back("method/" + r.method);
        runs.push_back([&model, &clip, &r] { explain(model, clip, r); });
    }
    const auto timings = measureInterleaved(runs, quick ? 3 : 20, quick ? 3.0 : 20.0);
    double sumOfMedians = 0;
    for (size_t i = 0; i < names.size(); ++i) {
        record(names[i], timings[i]);
        if (names[i].rfind("method/", 0) == 0) sumOfMedians += timings[i].medianMs;
    }

    // Batches.
    std::vector<float> batch(64 * T);
    for (int b = 0; b < 64; ++b) std::copy(clip.begin(), clip.end(), batch.begin() + b * T);
    record("forward/batch64", measure([&] { model.logits(batch.data(), 64); }, minReps, minSeconds));
    {
        torch::NoGradGuard g;
        record("naive/forward/batch64 (one clip at a time)", measure([&] {
                   for (int b = 0; b < 64; ++b) s4bench::naiveForward(net, x);
               }, 3, minSeconds));
    }

    // All methods in sequence.
    auto allMethods = [&] {
        for (const auto& info : attributionMethods()) {
            ExplainRequest r;
            r.method = info.id;
            explain(model, clip, r);
        }
    };
    record("all 22 methods in sequence", measure(allMethods, 3, minSeconds));

    longBackbones();
    results["load_average_after_long"] = firstLineOf("cut -d' ' -f1-3 /proc/loadavg");

    // One live-mode update: a 100 ms chunk arrives, the rolling one-second window moves, the
    // window is classified and explained with a single-pass method.
    {
        std::vector<float> window(clip), chunk(T / 10, 0.01f);
        ExplainRequest r;
        r.method = "lrp_epsilon";
        record("live update (chunk in -> lrp_epsilon ready)", measure([&] {
                   std::rotate(window.begin(), window.begin() + chunk.size(), window.end());
                   std::copy(chunk.begin(), chunk.end(), window.end() - chunk.size());
                   explain(model, window, r);
               }, minReps * 3, minSeconds));
    }

    // Issue 17: R[f,t] from a method's sample relevance (STFT of the clip and of R / stab(x)), the
    // step on top of the method; then with the three listening signals resynthesised and classified.
    {
        ExplainRequest r;
        r.method = "lrp_epsilon";
        const Explanation e = explain(model, clip, r);
        const int rate = model.config().sample_rate;
        record("time-frequency relevance (on top of the method)", measure([&] {
                   signal::timeFrequencyRelevance(clip, e.relevance, rate);
               }, minReps * 3, minSeconds));
        record("time-frequency + 3 listening signals classified", measure([&] {
                   tf::explainInTimeFrequency(model, clip, e, 20);
               }, minReps, minSeconds));
    }

    // Cold start: a new process loads the model and explains a clip.
    {
        const std::string modelArg = modelPath.empty() ? "--random-init 0" : "--model " + modelPath;
        const std::string cmd = std::string(S4SCOPE_CLI) + " explain " + modelArg + " --input " S4SCOPE_SOURCE_DIR
                                "/resources/clips/yes.wav --method gradient_x_input --output /tmp/s4scope-bench-cold.json >/dev/null";
        record("cold start to first explained clip (process)", measure([&] {
                   if (std::system(cmd.c_str()) != 0) throw std::runtime_error("cold start command failed: " + cmd);
               }, 3, 0));
    }

#ifdef S4SCOPE_BENCH_GUI
    // One redraw of the explanation view, timed by its own (Qt, offscreen) program.
    {
        const std::string guiOut = "/tmp/s4scope-bench-gui.json";
        const std::string cmd = std::string("QT_QPA_PLATFORM=offscreen ") + S4SCOPE_BENCH_GUI + " --out " + guiOut;
        if (std::system(cmd.c_str()) == 0) {
            std::ifstream in(guiOut);
            const auto gui = nlohmann::json::parse(in);
            for (const auto& [name, t] : gui.items()) {
                results[name] = t;
                std::printf("%-36s %10.3f ms  (min %.3f, %d runs)\n", name.c_str(), t["median_ms"].get<double>(),
                            t["min_ms"].get<double>(), t["reps"].get<int>());
            }
        } else {
            std::printf("redraw timing failed: %s\n", cmd.c_str());
        }
    }
#endif

    // Peak memory: after one round of all methods, and after many.
    allMethods();
    const double afterOne = peakRssMiB();
    for (int i = 1; i < memoryRounds; ++i) allMethods();
    const double afterMany = peakRssMiB();
    std::printf("peak RSS after 1 round %.1f MiB, after %d rounds %.1f MiB (+%.1f%%)\n", afterOne, memoryRounds,
                afterMany, 100.0 * (afterMany - afterOne) / afterOne);

    auto median = [&](const std::string& k) { return results[k]["median_ms"].get<double>(); };
    const nlohmann::json ratios = {
        {"forward batch1: naive / engine", median("naive/forward/batch1") / median("forward/batch1")},
        {"forward 64 clips: naive one at a time / engine batch", median("naive/forward/batch64 (one clip at a time)") / median("forward/batch64")},
        {"gradient: naive / engine", median("naive/gradient") / median("method/gradient")},
    };
    for (const auto& [k, v] : ratios.items()) std::printf("ratio %-55s %6.2fx\n", k.c_str(), v.get<double>());

    nlohmann::json targets = nlohmann::json::array();
    int missed = 0;
    for (const auto& [name, limit] : kTargets) {
        if (!results.contains(name)) continue;
        const double ms = median(name);
        missed += ms > limit;
        targets.push_back({{"what", name}, {"median_ms", ms}, {"target_ms", limit}, {"met", ms <= limit}});
        std::printf("target %-45s %8.2f ms  <= %6.1f ms  %s\n", name.c_str(), ms, limit, ms <= limit ? "met" : "MISSED");
    }
    std::printf("targets missed: %d of %zu\n", missed, targets.size());
    info["load_average_at_end"] = firstLineOf("cut -d' ' -f1-3 /proc/loadavg");
    const nlohmann::json out = {{"machine", info},
                                {"targets", targets},
                                {"model", modelPath.empty() ? "initialised card architecture (seed 0)" : modelPath},
                                {"results", results},
                                {"ratios", ratios},
                                {"sum_of_method_medians_ms", sumOfMedians},
                                {"memory", {{"rounds", memoryRounds}, {"peak_rss_after_1_round_mib", afterOne},
                                            {"peak_rss_after_n_rounds_mib", afterMany},
                                            {"growth_percent", 100.0 * (afterMany - afterOne) / afterOne}}}};
    std::ofstream(outPath) << out.dump(2) << "\n";
    std::printf("wrote %s\n", outPath.c_str());
    return 0;
}
