// s4scope-bench-batch: throughput of s4scope-cli on a data set (issue 16's targets): a folder of
// one-second clips classified (forward pass) and explained with LRP-epsilon, decoding and writing
// included, and the keyword scan of a 10-minute recording. Each command runs as a user runs it
// (a new process); reported are the rate the command states for its batch (model loaded; decoding,
// compute, output files and index included) and the wall clock of the whole process.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <regex>
#include <string>

#include <sys/resource.h>

#include <nlohmann/json.hpp>

#include "s4scope/attribution.h"
#include "s4scope/audio_io.h"
#include "s4scope/model.h"
#include "s4scope/parallel.h"
#include "s4scope/resources.h"
#include "s4scope/runtime.h"

namespace fs = std::filesystem;

namespace {

struct Timed {
    double wallSeconds = 0;
    double cpuSeconds = 0;    // user + system time of the process: what a loaded host disturbs least
    double batchSeconds = 0;  // as the command reports it ("N units in S s")
    long units = 0;
};

// Runs a shell command; its stderr summary line "WHAT: N UNITS in S s (...)" gives the batch time.
Timed runTimed(const std::string& command, const std::string& what) {
    const std::string log = "/tmp/s4scope-bench-batch.log";
    rusage before{}, after{};
    getrusage(RUSAGE_CHILDREN, &before);
    const auto start = std::chrono::steady_clock::now();
    const int rc = std::system((command + " >/dev/null 2>" + log).c_str());
    getrusage(RUSAGE_CHILDREN, &after);
    Timed t;
    auto seconds = [](const timeval& v) { return double(v.tv_sec) + 1e-6 * double(v.tv_usec); };
    t.cpuSeconds = seconds(after.ru_utime) - seconds(before.ru_utime) + seconds(after.ru_stime) - seconds(before.ru_stime);
    t.wallSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::ifstream in(log);
    std::string line;
    const std::regex summary("^" + what + ": (\\d+) \\S+ in ([0-9.]+) s");
    std::smatch m;
    while (std::getline(in, line))
        if (std::regex_search(line, m, summary)) {
            t.units = std::stol(m[1]);
            t.batchSeconds = std::stod(m[2]);
        }
    if (rc != 0 && rc != 3 << 8) throw std::runtime_error("failed (" + std::to_string(rc) + "): " + command);
    return t;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    s4scope::preferPassiveOpenMP(argv);
    int clips = 2000, rounds = 3;
    std::string outJson, work = "/tmp/s4scope-bench-batch";
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--clips" && i + 1 < argc) clips = std::atoi(argv[++i]);
        else if (a == "--rounds" && i + 1 < argc) rounds = std::atoi(argv[++i]);
        else if (a == "--out" && i + 1 < argc) outJson = argv[++i];
        else if (a == "--work" && i + 1 < argc) work = argv[++i];
        else {
            std::cerr << "usage: s4scope-bench-batch [--clips N] [--rounds N] [--out FILE.json] [--work FOLDER]\n";
            return 2;
        }
    }
    const std::string cli = S4SCOPE_CLI;
    const std::string source = S4SCOPE_SOURCE_DIR;
    fs::remove_all(work);
    fs::create_directories(work + "/clips");

    // The data set: bundled keywords at random gains and shifts with a little noise, 16 kHz mono
    // float WAV, in 20 subfolders.
    std::mt19937 rng(7);
    const std::vector<std::string> words = {"yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go"};
    std::vector<std::vector<float>> sources;
    for (const auto& w : words) sources.push_back(s4scope::loadAudio(source + "/resources/clips/" + w + ".wav").samples);
    std::normal_distribution<float> noise(0.0f, 0.002f);
    std::vector<float> inMemory;  // the same clips for the engine-only reference
    for (int i = 0; i < clips; ++i) {
        const auto& s = sources[size_t(i) % sources.size()];
        const float gain = std::uniform_real_distribution<float>(0.3f, 1.0f)(rng);
        const size_t shift = std::uniform_int_distribution<size_t>(0, 1600)(rng);
        std::vector<float> clip(s.size());
        for (size_t k = 0; k < clip.size(); ++k) clip[k] = (k >= shift ? gain * s[k - shift] : 0.0f) + noise(rng);
        const std::string folder = work + "/clips/" + std::to_string(i % 20);
        fs::create_directories(folder);
        s4scope::writeWav(folder + "/" + words[size_t(i) % words.size()] + "_" + std::to_string(i) + ".wav", clip, 16000);
        inMemory.insert(inMemory.end(), clip.begin(), clip.end());
    }
    // A 10-minute recording: a keyword every 3 s in quiet noise.
    {
        std::vector<float> rec(size_t(16000) * 600);
        for (auto& x : rec) x = noise(rng) * 0.5f;
        for (size_t at = 16000, i = 0; at + 16000 < rec.size(); at += 48000, ++i) {
            const auto& s = sources[i % sources.size()];
            for (size_t k = 0; k < s.size(); ++k) rec[at + k] += s[k];
        }
        s4scope::writeWav(work + "/ten-minutes.wav", rec, 16000);
    }

    nlohmann::json results;
    auto bench = [&](const std::string& name, const std::string& command, const std::string& what, double target,
                     const std::string& unit, bool perSecond) {
        std::vector<double> batch, wall, cpu;
        long units = 0;
        for (int r = 0; r < rounds; ++r) {
            fs::remove_all(work + "/out");
            const Timed t = runTimed(command, what);
            batch.push_back(t.batchSeconds);
            wall.push_back(t.wallSeconds);
            cpu.push_back(t.cpuSeconds);
            units = t.units;
        }
        const double b = median(batch), w = median(wall), c = median(cpu);
        nlohmann::json j = {{"command", command}, {"units", units}, {"batch_s", b}, {"wall_s", w},
                            {"batch_all_s", batch}, {"wall_all_s", wall}, {"cpu_s", c}, {"cpu_all_s", cpu}, {"target", target}, {"unit", unit}};
        if (perSecond) {
            j["batch_rate"] = units / b;
            j["wall_rate"] = units / w;
            j["met"] = units / b >= target;
            std::printf("%-28s %6ld %s: batch %.2f s = %7.0f %s/s, process %.2f s = %7.0f %s/s, %.2f CPU-s (target >= %.0f/s) %s\n",
                        name.c_str(), units, unit.c_str(), b, units / b, unit.c_str(), w, units / w, unit.c_str(), c, target,
                        units / b >= target ? "met" : "MISSED");
        } else {
            if (target > 0) j["met"] = w <= target;
            std::printf("%-28s batch %.2f s, process %.2f s, %.2f CPU-s", name.c_str(), b, w, c);
            if (target > 0) std::printf(" (target <= %.0f s) %s", target, w <= target ? "met" : "MISSED");
            std::printf("\n");
        }
        results[name] = j;
    };
    // Engine-only reference in this process, same clips already in memory (no decoding, no files),
    // so the share of the command's own work shows whatever the host's load does to both.
    {
        const auto model = s4scope::Model::load(s4scope::bundledModelPath());
        const int64_t T = model.config().seq_len;
        model.logits(inMemory.data(), 64);  // warm-up (S4D kernels)
        auto t0 = std::chrono::steady_clock::now();
        for (int64_t first = 0; first < clips; first += 256)
            model.logits(inMemory.data() + first * T, std::min<int64_t>(256, clips - first));
        const double forward = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        s4scope::ExplainRequest r;
        r.method = "lrp_epsilon";
        t0 = std::chrono::steady_clock::now();
        s4scope::parallelFor(clips, [&](int64_t i) {
            s4scope::explain(model, std::vector<float>(inMemory.begin() + i * T, inMemory.begin() + (i + 1) * T), r);
        });
        const double lrp = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::printf("%-28s forward %7.0f clips/s, lrp_epsilon %7.0f clips/s (clips in memory, no decoding or files)\n",
                    "engine alone", clips / forward, clips / lrp);
        results["engine alone"] = {{"forward_rate", clips / forward}, {"lrp_epsilon_rate", clips / lrp}};
    }
    const std::string in = work + "/clips";
    bench("classify (forward)", cli + " classify " + in + " --plain-progress -O " + work + "/out", "classify", 1500, "clips", true);
    bench("explain lrp_epsilon (npy)", cli + " explain " + in + " -m lrp_epsilon --plain-progress -O " + work + "/out", "explain",
          300, "clips", true);
    bench("scan 10-minute recording", cli + " scan " + work + "/ten-minutes.wav --plain-progress -o " + work + "/scan.json",
          "scan ten-minutes.wav", 10, "s", false);
    bench("process start (1 clip)", cli + " classify " + source + "/resources/clips/yes.wav", "classify", 0, "s", false);

    results["clips"] = clips;
    results["rounds"] = rounds;
    if (!outJson.empty()) std::ofstream(outJson) << results.dump(2) << "\n";
    fs::remove_all(work);
    return 0;
}
