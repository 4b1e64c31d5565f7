#include "trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <numeric>
#include <sstream>

#include <nlohmann/json.hpp>

#include "augmentation.h"
#include "clip_set.h"
#include "evaluation.h"
#include "lr_schedule.h"
#include "model_files.h"
#include "noise_pools.h"
#include "optimizer_setup.h"
#include "resume_state.h"
#include "rng.h"
#include "speech_commands.h"
#include "model/runtime.h"
#include "s4scope/checkpoint.h"
#include "s4scope/error.h"
#include "s4scope/model.h"

namespace s4scope::train {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double secondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

std::string duration(double seconds) {
    char buf[32];
    const int s = int(std::lround(seconds));
    std::snprintf(buf, sizeof buf, "%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60);
    return buf;
}

std::string readText(const fs::path& path) {
    std::ifstream in(path);
    if (!in) return "{}";
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

SplitResult toSplitResult(const std::string& split, const Evaluation& ev) {
    SplitResult r;
    r.split = split;
    r.clips = ev.clips;
    r.loss = ev.loss;
    r.accuracy = ev.accuracy;
    r.confusion = ev.confusion;
    r.perEngine = ev.perEngine;
    r.perVoice = ev.perVoice;
    r.perSpeaker = ev.perSpeaker;
    return r;
}

// What the trainer reads: a data set of s4scope-dataset or Speech Commands, as one manifest.
struct DataSource {
    std::string dir;  // manifest paths are relative to it
    std::vector<ManifestEntry> manifest;
    NoisePools pools;
    std::string description;
};

DataSource openSource(const TrainOptions& o) {
    DataSource d;
    if (!o.speechCommandsDir.empty()) {
        const auto sc = readSpeechCommands(o.speechCommandsDir, o.model.labels);
        d.dir = o.speechCommandsDir;
        d.manifest = sc.entries;
        d.pools = speechCommandsNoisePools(sc.otherSpeech, sc.noiseFiles, 400, o.seed);
        d.description = "Google Speech Commands at " + o.speechCommandsDir + " (" + std::to_string(sc.noiseFiles.size()) +
                        " background noise files, " + std::to_string(d.pools.babble.size()) +
                        " clips of other words as babble)";
        return d;
    }
    const auto manifestPath = (fs::path(o.dataDir) / "manifest.csv").string();
    if (!fs::exists(manifestPath)) throw Error(manifestPath + ": no data set here (build one with s4scope-dataset)");
    d.dir = o.dataDir;
    d.manifest = readManifest(manifestPath);
    d.pools = datasetNoisePools(o.dataDir);
    d.description = "the s4scope-dataset data set at " + o.dataDir + " (" + std::to_string(d.pools.babble.size()) +
                    " babble sentences)";
    return d;
}

// What the shipped config records about its training, so a test can rebuild its test voices.
std::string trainingJson(const TrainOptions& o, int64_t epoch, double validationAccuracy) {
    nlohmann::json dataset = o.speechCommandsDir.empty()
                                 ? nlohmann::json::parse(readText(fs::path(o.dataDir) / "dataset.json"), nullptr, false)
                                 : nlohmann::json{{"speech_commands", o.speechCommandsDir}};
    if (dataset.is_discarded()) dataset = nlohmann::json::object();
    const nlohmann::json j = {{"dataset", dataset},
                              {"seed", o.seed},
                              {"epochs", o.epochs},
                              {"best_epoch", epoch},
                              {"batch_size", o.batchSize},
                              {"learning_rate", o.learningRate},
                              {"ssm_learning_rate", o.ssmLearningRate},
                              {"weight_decay", o.weightDecay},
                              {"augment", o.augment},
                              {"validation_accuracy", validationAccuracy}};
    return j.dump();
}

constexpr int64_t kTrainReportClips = 2000;

// At most `n` clips of `set`, a seeded choice (all of them when it has no more).
ClipSet sampleOf(const ClipSet& set, int64_t n, uint64_t seed) {
    if (set.size() <= n) return set;
    std::vector<int64_t> order(size_t(set.size()));
    std::iota(order.begin(), order.end(), int64_t(0));
    Rng rng(deriveSeed(seed, "report-sample:" + set.split));
    shuffleInPlace(order, rng);
    order.resize(size_t(n));
    std::sort(order.begin(), order.end());
    ClipSet out;
    out.split = set.split;
    const auto idx = torch::tensor(order, torch::kLong);
    out.audio = set.audio.index_select(0, idx);
    out.labels = set.labels.index_select(0, idx);
    for (int64_t i : order) out.entries.push_back(set.entries[size_t(i)]);
    return out;
}

// Evaluates every split (loading the ones not given), clean and, for the held-out splits, with
// babble at the report's SNR; writes OUT/report.md and logs it.
void reportSplits(S4ClassifierImpl& model, const TrainOptions& o, const DataSource& data, const ClipSet* trainSet,
                  const ClipSet* validationSet, TrainResult& result, std::ostream* log) {
    model.eval();
    const int64_t T = o.model.seq_len, classes = o.model.n_classes;
    result.reportSnrDb = o.reportSnrDb;
    result.source = data.description;
    for (const std::string split : {"train", "validation", "test"}) {
        if (split == "test" && !o.evaluateTest) continue;
        const ClipSet* given = split == "train" ? trainSet : split == "validation" ? validationSet : nullptr;
        const ClipSet loaded = given ? ClipSet{} : loadClipSet(data.dir, data.manifest, split, T, classes, log);
        const ClipSet& full = given ? *given : loaded;
        // The train split only shows how far held-out speakers fall behind: a seeded sample of
        // it is enough, and evaluating all of it would cost minutes.
        const ClipSet sample = split == "train" ? sampleOf(full, kTrainReportClips, o.seed) : ClipSet{};
        const ClipSet& set = split == "train" ? sample : full;
        SplitResult r = toSplitResult(split, evaluate(model, set, 256));
        if (split != "train" && !data.pools.babble.empty()) {
            const NoiseCondition babble{NoiseKind::Babble, o.reportSnrDb, &data.pools, deriveSeed(o.seed, "report-babble")};
            const Evaluation noisy = evaluate(model, set, 256, &babble);
            r.hasNoisy = true;
            r.noisyAccuracy = noisy.accuracy;
            r.perSpeakerNoisy = noisy.perSpeaker;
        }
        result.splits.push_back(r);
    }
    const std::string report = reportMarkdown(result, o.model.labels);
    std::ofstream(fs::path(o.outDir) / "report.md") << report;
    if (log) *log << report;
}

}  // namespace

TrainResult evaluateModel(const TrainOptions& o, std::ostream* log) {
    ensureRuntime();
    if (o.threads > 0) at::set_num_threads(o.threads);
    if (o.weightsPath.empty()) throw Error("no weights to evaluate");
    std::error_code ec;
    fs::create_directories(o.outDir, ec);
    const DataSource data = openSource(o);
    const Model loaded = Model::load(o.weightsPath);  // also checks the config beside the weights
    S4Classifier model(loaded.config());
    loadStateDictInto(*model, loaded.stateDict(), o.weightsPath);
    TrainOptions withConfig = o;
    withConfig.model = loaded.config();
    TrainResult result;
    result.weightsPath = o.weightsPath;
    reportSplits(*model, withConfig, data, nullptr, nullptr, result, log);
    return result;
}

TrainResult trainModel(const TrainOptions& o, std::ostream* log) {
    const auto start = Clock::now();
    ensureRuntime();
    if (o.threads > 0) at::set_num_threads(o.threads);
    if (o.epochs < 1 || o.batchSize < 1) throw Error("epochs and batch size must be at least 1");
    std::error_code ec;
    fs::create_directories(o.outDir, ec);
    if (ec || !fs::is_directory(o.outDir)) throw Error(o.outDir + ": cannot create this folder (" + ec.message() + ")");
    const std::string weightsPath = o.weightsPath.empty() ? (fs::path(o.outDir) / "s4_kws.pt").string() : o.weightsPath;

    const DataSource data = openSource(o);
    const int64_t T = o.model.seq_len, classes = o.model.n_classes;
    const ClipSet trainSet = loadClipSet(data.dir, data.manifest, "train", T, classes, log);
    const ClipSet validationSet = loadClipSet(data.dir, data.manifest, "validation", T, classes, log);
    if (trainSet.size() == 0) throw Error(data.dir + ": the data set has no train clips");
    if (log) *log << "train: data: " << data.description << std::endl;

    torch::manual_seed(o.seed);
    S4Classifier model(o.model);
    initialiseS4D(*model);  // the same draws as Model::initialised(config, seed)
    ScheduledOptimizer optimizer(*model, {o.learningRate, o.ssmLearningRate, o.weightDecay});

    const int64_t fullSteps = (trainSet.size() + o.batchSize - 1) / o.batchSize;
    const int64_t stepsPerEpoch = o.maxStepsPerEpoch > 0 ? std::min(fullSteps, o.maxStepsPerEpoch) : fullSteps;
    const int64_t totalSteps = stepsPerEpoch * o.epochs;
    const int64_t warmupSteps = int64_t(std::lround(o.warmupEpochs * double(stepsPerEpoch)));

    ResumeState state;
    if (o.resume && loadResumeState(o.outDir, model, optimizer, state) && log)
        *log << "train: resuming after epoch " << state.epochsDone << " (best validation accuracy "
             << state.bestValidationAccuracy << " at epoch " << state.bestEpoch << ")" << std::endl;
    if (log)
        *log << "train: " << model->config.parameterCount() << " parameters, " << trainSet.size() << " train clips, "
             << stepsPerEpoch << " steps per epoch of " << o.batchSize << ", " << o.epochs << " epochs, "
             << at::get_num_threads() << " threads" << std::endl;

    TrainResult result;
    result.trainClips = trainSet.size();
    const auto trainingStart = Clock::now();
    const int64_t firstEpoch = state.epochsDone;
    for (int64_t epoch = firstEpoch; epoch < o.epochs; ++epoch) {
        const auto epochStart = Clock::now();
        model->train();
        Rng rng(deriveSeed(o.seed, "epoch:" + std::to_string(epoch)));
        std::vector<int64_t> order(size_t(trainSet.size()));
        for (size_t i = 0; i < order.size(); ++i) order[i] = int64_t(i);
        shuffleInPlace(order, rng);

        double lossSum = 0;
        int64_t correct = 0, seen = 0;
        // Batch s + 1 is augmented on a second thread while the model trains on batch s: the two
        // cores both work, and each batch's seed fixes its content whichever thread makes it.
        const auto makeBatch = [&](int64_t s) {
            const auto first = order.begin() + s * o.batchSize;
            const std::vector<int64_t> idx(first, first + std::min<int64_t>(o.batchSize, order.end() - first));
            const uint64_t seed = deriveSeed(o.seed, "batch:" + std::to_string(epoch) + ":" + std::to_string(s));
            auto x = o.augment ? augmentBatch(trainSet, idx, o.augmentation, data.pools, seed) : cleanBatch(trainSet, idx);
            return std::make_pair(idx, x);
        };
        std::future<std::pair<std::vector<int64_t>, torch::Tensor>> next =
            std::async(std::launch::async, makeBatch, int64_t(0));
        for (int64_t s = 0; s < stepsPerEpoch; ++s) {
            auto [idx, x] = next.get();
            if (s + 1 < stepsPerEpoch) next = std::async(std::launch::async, makeBatch, s + 1);
            const auto y = trainSet.labels.index_select(0, torch::tensor(idx, torch::kLong));

            optimizer.setScale(cosineWithWarmup(state.step, warmupSteps, totalSteps));
            optimizer.adamw().zero_grad();
            const auto logits = model->forward(x);
            const auto loss = torch::nn::functional::cross_entropy(logits, y);
            loss.backward();
            optimizer.adamw().step();
            ++state.step;

            lossSum += loss.item<double>() * double(idx.size());
            correct += logits.argmax(1).eq(y).sum().item<int64_t>();
            seen += int64_t(idx.size());
            if (log && o.logEverySteps > 0 && (s + 1) % o.logEverySteps == 0)
                *log << "train:   epoch " << epoch + 1 << " step " << s + 1 << "/" << stepsPerEpoch << "  loss "
                     << lossSum / double(seen) << "  acc " << double(correct) / double(seen) << "  "
                     << secondsSince(epochStart) / double(s + 1) * 1000 << " ms/step" << std::endl;
        }

        model->eval();
        const Evaluation val = evaluate(*model, validationSet, 256);
        EpochRecord r{epoch + 1, lossSum / double(seen), double(correct) / double(seen), val.loss, val.accuracy,
                      optimizer.learningRate(), secondsSince(epochStart)};
        state.history.push_back(r);
        state.epochsDone = epoch + 1;

        // Without a validation split (smoke runs), the latest epoch counts as the best.
        const double score = validationSet.size() > 0 ? val.accuracy : double(epoch);
        const bool best = score > state.bestValidationAccuracy;
        if (best) {
            state.bestValidationAccuracy = score;
            state.bestEpoch = epoch + 1;
            writeModelPair(*model, weightsPath, trainingJson(o, epoch + 1, val.accuracy));
        }
        saveResumeState(o.outDir, model, optimizer, state);

        if (log) {
            const double perEpoch = secondsSince(trainingStart) / double(epoch + 1 - firstEpoch);
            char validation[64] = "no validation split";
            if (validationSet.size() > 0)
                std::snprintf(validation, sizeof validation, "val loss %.4f  val acc %.2f%%", r.validationLoss,
                              100 * r.validationAccuracy);
            char line[256];
            std::snprintf(line, sizeof line, "train: epoch %lld/%lld  loss %.4f  acc %.2f%%  %s  lr %.2e  %.0fs  ETA %s%s",
                          (long long)(epoch + 1), (long long)o.epochs, r.trainLoss, 100 * r.trainAccuracy, validation,
                          r.learningRate, r.seconds, duration(perEpoch * double(o.epochs - epoch - 1)).c_str(),
                          best ? "  * best" : "");
            *log << line << std::endl;
        }
    }
    result.seconds = secondsSince(trainingStart);
    result.history = state.history;
    result.bestEpoch = state.bestEpoch;
    result.bestValidationAccuracy = validationSet.size() > 0 ? state.bestValidationAccuracy : 0;
    result.weightsPath = weightsPath;

    // The report is about the kept checkpoint, on clean clips.
    loadStateDictInto(*model, readCheckpoint(weightsPath), weightsPath);
    reportSplits(*model, o, data, &trainSet, &validationSet, result, log);
    if (log)
        *log << "train: done in " << duration(secondsSince(start)) << " (training " << duration(result.seconds)
             << "); best epoch " << result.bestEpoch << " -> " << weightsPath << std::endl;
    return result;
}

namespace {

double ratio(const std::pair<int64_t, int64_t>& c) { return c.second ? double(c.first) / double(c.second) : 0.0; }

// "the mean over N speakers ... " for the speakers of `s` that `include` accepts.
std::string speakerSummary(const SplitResult& s, bool otherEnginesOnly, double snrDb) {
    double clean = 0, noisy = 0, worst = 2;
    std::string worstName;
    int n = 0;
    for (const auto& [speaker, counts] : s.perSpeaker) {
        if (otherEnginesOnly && speaker.rfind("espeak-ng:", 0) == 0) continue;
        const double a = ratio(counts);
        clean += a;
        if (s.hasNoisy && s.perSpeakerNoisy.count(speaker)) noisy += ratio(s.perSpeakerNoisy.at(speaker));
        if (a < worst) {
            worst = a;
            worstName = speaker;
        }
        ++n;
    }
    if (n == 0) return "no speakers";
    char buf[256];
    std::snprintf(buf, sizeof buf, "mean over %d speakers %.1f%% clean (lowest %.1f%%, %s)", n, 100 * clean / n, 100 * worst,
                  worstName.c_str());
    std::string out = buf;
    if (s.hasNoisy) {
        std::snprintf(buf, sizeof buf, ", %.1f%% with babble at %g dB SNR", 100 * noisy / n, snrDb);
        out += buf;
    }
    return out;
}

}  // namespace

std::string reportMarkdown(const TrainResult& result, const std::vector<std::string>& labels) {
    std::ostringstream md;
    char buf[256];
    if (!result.source.empty()) md << "Data: " << result.source << ".\n\n";
    md << "## Held-out speakers\n\n"
          "Whole speakers the model never heard in training (a speaker is a flite or Festival voice, or an "
          "espeak-ng / classic espeak variant in every accent); accuracy is per speaker over its clips.\n\n";
    for (const auto& s : result.splits) {
        if (s.split == "train" || s.perSpeaker.empty()) continue;
        md << "- **" << s.split << ", engines other than espeak-ng**: " << speakerSummary(s, true, result.reportSnrDb)
           << "\n- **" << s.split << ", all held-out speakers**: " << speakerSummary(s, false, result.reportSnrDb) << "\n";
    }
    md << "\n| split | engine | speaker | clips | clean | babble " << result.reportSnrDb << " dB |\n|---|---|---|---:|---:|---:|\n";
    for (const auto& s : result.splits) {
        if (s.split == "train") continue;
        for (const auto& [speaker, counts] : s.perSpeaker) {
            const auto colon = speaker.find(':');
            std::string noisy = "-";
            if (s.hasNoisy && s.perSpeakerNoisy.count(speaker)) {
                std::snprintf(buf, sizeof buf, "%.1f%%", 100 * ratio(s.perSpeakerNoisy.at(speaker)));
                noisy = buf;
            }
            std::snprintf(buf, sizeof buf, "| %s | %s | %s | %lld | %.1f%% | %s |\n", s.split.c_str(),
                          speaker.substr(0, colon).c_str(), speaker.substr(colon + 1).c_str(), (long long)counts.second,
                          100 * ratio(counts), noisy.c_str());
            md << buf;
        }
    }
    md << "\n## Splits\n\n| split | clips | accuracy | loss | babble | per engine |\n|---|---:|---:|---:|---:|---|\n";
    for (const auto& s : result.splits) {
        std::string engines;
        for (const auto& [engine, counts] : s.perEngine) {
            std::snprintf(buf, sizeof buf, "%s%s %.2f%% (%lld)", engines.empty() ? "" : ", ", engine.c_str(),
                          100 * ratio(counts), (long long)counts.second);
            engines += buf;
        }
        std::string noisy = "-";
        if (s.hasNoisy) {
            std::snprintf(buf, sizeof buf, "%.2f%%", 100 * s.noisyAccuracy);
            noisy = buf;
        }
        std::snprintf(buf, sizeof buf, "| %s | %lld | %.2f%% | %.4f | %s | ", s.split.c_str(), (long long)s.clips,
                      100 * s.accuracy, s.loss, noisy.c_str());
        md << buf << engines << " |\n";
    }
    for (const auto& s : result.splits) {
        if (s.split == "train" || s.perVoice.empty()) continue;
        std::vector<std::pair<double, std::string>> voices;
        for (const auto& [voice, counts] : s.perVoice) voices.emplace_back(ratio(counts), voice);
        std::sort(voices.begin(), voices.end());
        md << "\nHardest " << s.split << " voices: ";
        for (size_t i = 0; i < voices.size() && i < 8; ++i) {
            std::snprintf(buf, sizeof buf, "%s%s %.0f%%", i ? ", " : "", voices[i].second.c_str(), 100 * voices[i].first);
            md << buf;
        }
        md << "\n";
    }
    for (const auto& s : result.splits) {
        if (s.split != "test" || s.clips == 0) continue;
        md << "\nConfusion matrix on the test speakers (rows: spoken word, columns: predicted):\n\n|  |";
        for (const auto& l : labels) md << ' ' << l << " |";
        md << "\n|---|";
        for (size_t i = 0; i < labels.size(); ++i) md << "---:|";
        md << '\n';
        for (size_t t = 0; t < s.confusion.size(); ++t) {
            md << "| **" << (t < labels.size() ? labels[t] : std::to_string(t)) << "** |";
            for (int64_t n : s.confusion[t]) md << ' ' << n << " |";
            md << '\n';
        }
    }
    return md.str();
}

}  // namespace s4scope::train
