#include "app/explorer.h"

#include <QFileInfo>

#include <algorithm>
#include <cmath>

#include "app/compute_service.h"
#include "app/resources_path.h"
#include "s4scope/audio_io.h"
#include "s4scope/error.h"
#include "s4scope/scan_io.h"

namespace s4scope::app {
namespace {

// Explains on the worker: the request gets the job's cancel flag and progress callback.
std::function<Explanation(const JobContext&)> explainJob(std::shared_ptr<const Model> model, std::vector<float> samples,
                                                         ExplainRequest request) {
    return [model, samples = std::move(samples), request](const JobContext& context) {
        ExplainRequest r = request;
        r.cancel = context.cancel;
        r.progress = context.progress;
        return explain(*model, samples, r);
    };
}

QString methodName(const QString& id) { return QString::fromStdString(methodInfo(id.toStdString()).displayName); }

// Collects a comparison's results in the order the methods were asked for.
struct ComparisonRun {
    QStringList ids;
    std::vector<std::optional<Explanation>> results;
    QStringList errors;
    int finished = 0;
    bool cancelled = false;
};

}  // namespace

Explorer::Explorer(QObject* parent)
    : QObject(parent),
      compute_(new ComputeService(this)),
      recordingCompute_(new ComputeService(this)),
      scanCompute_(new ComputeService(this)) {
    for (ComputeService* service : {compute_, recordingCompute_, scanCompute_}) {
        connect(service, &ComputeService::busyChanged, this, &Explorer::updateBusy);
        connect(service, &ComputeService::progressChanged, this, &Explorer::progress);
    }
}

// Three queues, one document: busy while any of them is, idle when the last one empties.
void Explorer::updateBusy() {
    const bool busy = isBusy();
    if (busy == wasBusy_) return;
    wasBusy_ = busy;
    emit busyChanged(busy);
    if (!busy) emit idle();
}

Explorer::~Explorer() = default;  // compute_ (a child) cancels its jobs and joins the worker

void Explorer::setRequests(ExplorerRequests requests) { requests_ = std::move(requests); }

bool Explorer::isBusy() const { return compute_->isBusy() || recordingCompute_->isBusy() || scanCompute_->isBusy(); }

bool Explorer::isScanning() const { return scanCompute_->isBusy(); }

void Explorer::cancel() {
    compute_->cancelAll();
    recordingCompute_->cancelAll();
    scanCompute_->cancelAll();
    pendingScan_ = false;
}

double Explorer::windowSeconds() const {
    return model_ ? double(model_->config().seq_len) / model_->config().sample_rate : 1.0;
}

double Explorer::maximumOffset() const {
    if (!hasRecording()) return 0;
    // Whole samples, so the offset field and the second it loads agree to the sample.
    return std::max(0.0, std::floor((recording_.duration - windowSeconds()) * recording_.sampleRate) / recording_.sampleRate);
}

ExplainRequest Explorer::requestFor(const QString& methodId) const {
    if (requests_.forMethod) return requests_.forMethod(methodId);
    ExplainRequest r;
    r.method = methodId.toStdString();
    return r;
}

Session Explorer::session() const {
    Session s;
    s.audioPath = clip_.path;
    s.offsetSeconds = clip_.offsetSeconds;
    s.modelPath = modelPath_.isEmpty() ? QString() : QFileInfo(modelPath_).absoluteFilePath();
    return s;
}

void Explorer::openModel(const QString& path) {
    const QString bundled = bundledModelPath();
    emit modelLoading();
    compute_->submit<std::shared_ptr<const Model>>(
        tr("loading the model"),
        [path, bundled](const JobContext&) {
            if (!path.isEmpty()) return std::make_shared<const Model>(Model::load(path.toStdString()));
            if (!bundled.isEmpty()) return std::make_shared<const Model>(Model::load(bundled.toStdString()));
            return std::make_shared<const Model>(Model::initialised(ModelConfig{}, 0));
        },
        [this, path, bundled](std::shared_ptr<const Model> model) {
            onModelLoaded(std::move(model), path, path.isEmpty() && bundled.isEmpty());
        },
        [this, path](const QString& message, bool cancelled) {
            if (cancelled) {
                emit this->cancelled(Stage::Model, path);
                if (!model_) openModel(path);  // cancelled before the load started: the app still needs a model
                return;
            }
            emit failed(Stage::Model, path, message);
            if (!model_ && !path.isEmpty()) return openModel(QString());  // start-up: fall back to the bundled one
            openPendingAudio();  // a session's clip still opens, with the model we have
        });
}

void Explorer::onModelLoaded(std::shared_ptr<const Model> model, const QString& path, bool fallback) {
    model_ = std::move(model);
    modelPath_ = path;
    modelIsFallback_ = fallback;
    ++generation_;
    prediction_.reset();
    if (scan_) {  // it was another model's
        scan_.reset();
        emit scanReady();
    }
    emit modelReady();
    if (pendingAudio_) openPendingAudio();
    else if (hasClip()) openAudio(clip_.path, clip_.offsetSeconds);  // the new model may want another rate or length
}

void Explorer::openPendingAudio() {
    if (!pendingAudio_) return;
    const auto [audio, offset] = *pendingAudio_;
    pendingAudio_.reset();
    openAudio(audio, offset);
}

void Explorer::openAudio(const QString& path, double offsetSeconds) {
    if (!model_) {
        pendingAudio_ = std::make_pair(path, offsetSeconds);
        return;
    }
    // Work still queued for the previous clip would only be thrown away: stop it now.
    if (hasClip()) compute_->cancelAll();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    if (absolute != recording_.path || !hasRecording() || recording_.sampleRate != model_->config().sample_rate)
        loadRecording(absolute);
    AudioLoadOptions options;
    options.sampleRate = model_->config().sample_rate;
    options.length = model_->config().seq_len;
    options.startSeconds = offsetSeconds;
    compute_->submit<Clip>(
        tr("loading %1").arg(QFileInfo(path).fileName()),
        [path, options](const JobContext&) {
            Audio audio = loadAudio(path.toStdString(), options);
            Clip clip{QFileInfo(path).absoluteFilePath(), options.startSeconds, std::move(audio.samples), audio.sampleRate, {}};
            clip.spectrogram = clipSpectrogram(clip.samples, clip.sampleRate);
            return clip;
        },
        [this](Clip clip) { onClipLoaded(std::move(clip)); },
        [this, path](const QString& message, bool cancelled) {
            if (cancelled) return emit this->cancelled(Stage::Clip, path);  // superseded by a newer clip
            pendingCompare_ = false;
            emit failed(Stage::Clip, path, message);
        });
}

void Explorer::setOffset(double seconds) {
    if (!hasClip()) return;
    const double clamped = std::clamp(std::isfinite(seconds) ? seconds : 0.0, 0.0, maximumOffset());
    openAudio(clip_.path, clamped);
}

// A new file: whatever was read, overviewed or scanned for the previous one is dropped.
void Explorer::loadRecording(const QString& path) {
    recordingCompute_->cancelAll();
    scanCompute_->cancelAll();
    const quint64 generation = ++recordingGeneration_;
    recording_ = Recording{path, nullptr, model_->config().sample_rate, 0, {}};
    overview_ = {};
    scan_.reset();
    const int rate = model_->config().sample_rate, columns = overviewColumns_;
    using Loaded = std::pair<Recording, signal::Envelope>;
    recordingCompute_->submit<Loaded>(
        tr("reading %1").arg(QFileInfo(path).fileName()),
        [path, rate, columns](const JobContext&) {
            AudioLoadOptions options;
            options.sampleRate = rate;
            options.length = 0;  // the whole file
            Audio audio = loadAudio(path.toStdString(), options);
            auto samples = std::make_shared<const std::vector<float>>(std::move(audio.samples));
            Recording r{path, samples, rate, double(samples->size()) / rate, QString::fromStdString(audio.warning)};
            return Loaded{std::move(r), signal::minMaxEnvelope(*samples, columns)};
        },
        [this, generation](Loaded loaded) {
            if (generation != recordingGeneration_) return;
            onRecordingLoaded(std::move(loaded.first), std::move(loaded.second));
        },
        [this, generation](const QString&, bool) {
            // The second itself reports a file that cannot be read; a cancelled read was superseded.
            if (generation == recordingGeneration_) pendingScan_ = false;
        });
}

void Explorer::onRecordingLoaded(Recording recording, signal::Envelope overview) {
    recording_ = std::move(recording);
    overview_ = std::move(overview);
    emit recordingReady();
    emit overviewReady();
    if (overview_.columns() != overviewColumns_) requestOverview(overviewColumns_);
    if (pendingScan_) runScan();
}

void Explorer::requestOverview(int columns) {
    if (columns <= 0) return;
    overviewColumns_ = columns;
    if (!hasRecording() || overview_.columns() == columns) return;
    const quint64 generation = recordingGeneration_;
    auto samples = recording_.samples;
    recordingCompute_->submit<signal::Envelope>(
        tr("overview"), [samples, columns](const JobContext&) { return signal::minMaxEnvelope(*samples, columns); },
        [this, generation, columns](signal::Envelope e) {
            // Only the newest request counts (a resize asks many times).
            if (generation != recordingGeneration_ || columns != overviewColumns_) return;
            overview_ = std::move(e);
            emit overviewReady();
        },
        [](const QString&, bool) {});
}

bool Explorer::scan(const ScanOptions& options) {
    if (!hasClip() && recording_.path.isEmpty() && !pendingAudio_) return false;
    scanOptions_ = options;
    scanOptions_.progress = nullptr;
    scanOptions_.cancel = nullptr;
    if (!model_ || !hasRecording()) {
        pendingScan_ = true;
        return true;
    }
    runScan();
    return true;
}

void Explorer::runScan() {
    pendingScan_ = false;
    scanCompute_->cancelAll();  // a new scan replaces one running
    const quint64 generation = recordingGeneration_;
    auto model = model_;
    auto samples = recording_.samples;
    const ScanOptions options = scanOptions_;
    const QString name = QFileInfo(recording_.path).fileName();
    emit scanStarted();
    scanCompute_->submit<ScanResult>(
        tr("scanning %1").arg(name),
        [model, samples, options](const JobContext& context) {
            ScanOptions o = options;
            o.progress = context.progress;
            o.cancel = context.cancel;
            return scanRecording(*model, *samples, o);
        },
        [this, generation](ScanResult result) {
            if (generation != recordingGeneration_) return emit scanFinished();
            scan_ = std::move(result);
            emit scanReady();
            emit scanFinished();
        },
        [this, name](const QString& message, bool cancelled) {
            if (cancelled) emit this->cancelled(Stage::Scan, tr("Scanning %1").arg(name));
            else emit failed(Stage::Scan, tr("Scanning %1").arg(name), message);
            emit scanFinished();
        });
}

void Explorer::cancelScan() {
    pendingScan_ = false;
    scanCompute_->cancelAll();
}

void Explorer::exportScan(const QString& path) const {
    if (!scan_) throw Error(path.toStdString() + ": there is no scan to export yet (Audio > Scan for keywords)");
    writeScan(path.toStdString(), *scan_, model_->config().labels, recording_.path.toStdString(), model_->source(), scanOptions_);
}

void Explorer::onClipLoaded(Clip clip) {
    ++generation_;
    // A comparison asked for before the clip, or one on screen, is computed for the new clip too.
    const bool rerunComparison =
        pendingCompare_ || (!comparison_.empty() && requests_.keepComparison && requests_.keepComparison());
    pendingCompare_ = false;
    clip_ = std::move(clip);
    prediction_.reset();
    explanation_.reset();
    comparison_.clear();
    agreement_ = {};
    comparisonStats_.clear();
    comparisonTf_ = {};
    ++comparisonSerial_;
    emit clipReady();
    classify();
    const QString onLoad = requests_.explainOnLoad ? requests_.explainOnLoad() : QString();
    if (!onLoad.isEmpty()) explain(onLoad);
    if (rerunComparison) compare(comparedMethods_);
}

void Explorer::classify() {
    const quint64 generation = generation_;
    auto model = model_;
    const auto samples = clip_.samples;
    compute_->submit<Prediction>(
        tr("classifying"), [model, samples](const JobContext&) { return model->classify(samples); },
        [this, generation](Prediction p) {
            if (generation != generation_) return;
            prediction_ = std::move(p);
            emit predictionReady();
        },
        [this](const QString& message, bool cancelled) {
            if (cancelled) emit this->cancelled(Stage::Classify, tr("Classifying"));
            else emit failed(Stage::Classify, tr("Classifying"), message);
        });
}

bool Explorer::explain(const QString& methodId) {
    if (!hasClip() || !model_) return false;
    const quint64 generation = generation_;
    const QString name = methodName(methodId);
    compute_->submit<Explanation>(
        name, explainJob(model_, clip_.samples, requestFor(methodId)),
        [this, generation](Explanation e) {
            if (generation != generation_) return;
            explanation_ = std::move(e);
            emit explanationReady(QString::fromStdString(explanation_->method));
        },
        [this, name](const QString& message, bool cancelled) {
            if (cancelled) emit this->cancelled(Stage::Explain, name);
            else emit failed(Stage::Explain, name, message);
        });
    return true;
}

bool Explorer::compare(const QStringList& methodIds) {
    if (methodIds.isEmpty()) return false;
    comparedMethods_ = methodIds;
    if (!hasClip() || !model_) {  // runs as soon as a clip is open
        pendingCompare_ = true;
        return true;
    }
    runComparison(methodIds);
    return true;
}

void Explorer::runComparison(const QStringList& methodIds) {
    const quint64 generation = generation_;
    auto run = std::make_shared<ComparisonRun>();
    run->ids = methodIds;
    run->results.resize(size_t(methodIds.size()));
    auto finishOne = [this, run, generation] {
        if (++run->finished < run->ids.size() || generation != generation_) return;
        if (!run->errors.isEmpty()) emit failed(Stage::Compare, tr("Comparison"), run->errors.join(QLatin1Char('\n')));
        if (run->cancelled) return;
        std::vector<Explanation> done;
        for (auto& r : run->results)
            if (r) done.push_back(std::move(*r));
        if (done.empty()) return;
        // The agreement matrices on the worker too, so the views only draw them.
        auto results = std::make_shared<std::vector<Explanation>>(std::move(done));
        compute_->submit<ComparisonSummary>(
            tr("comparing: agreement"),
            [results, rate = clip_.sampleRate, withTf = wantComparisonTf_, samples = clip_.samples](const JobContext&) {
                ComparisonSummary summary;
                std::vector<std::vector<float>> maps;
                for (const Explanation& e : *results) {
                    maps.push_back(e.relevance);
                    summary.stats.push_back(signal::relevanceStats(e.relevance));
                }
                summary.agreement = signal::agreementOf(maps, rate);
                if (withTf) summary.tf = signal::compareInTimeFrequency(samples, maps, rate);
                return summary;
            },
            [this, results, generation](ComparisonSummary summary) {
                if (generation != generation_) return;
                comparison_ = std::move(*results);
                agreement_ = std::move(summary.agreement);
                comparisonStats_ = std::move(summary.stats);
                comparisonTf_ = std::move(summary.tf);
                ++comparisonSerial_;
                emit comparisonReady();
                // Asked for while this comparison was computed without it: catch up.
                if (wantComparisonTf_ && comparisonTf_.maps.size() != comparison_.size()) computeComparisonTf();
            },
            [this](const QString& message, bool cancelled) {
                if (cancelled) emit this->cancelled(Stage::Compare, tr("Comparison"));
                else emit failed(Stage::Compare, tr("Comparison"), message);
            });
    };
    for (int i = 0; i < methodIds.size(); ++i) {
        const QString name = methodName(methodIds[i]);
        const QString label = tr("comparing %1/%2: %3").arg(i + 1).arg(methodIds.size()).arg(name);
        compute_->submit<Explanation>(
            label, explainJob(model_, clip_.samples, requestFor(methodIds[i])),
            [run, i, finishOne](Explanation e) {
                run->results[size_t(i)] = std::move(e);
                finishOne();
            },
            [this, run, name, finishOne](const QString& message, bool cancelled) {
                if (cancelled && !run->cancelled) emit this->cancelled(Stage::Compare, tr("Comparison"));
                run->cancelled = run->cancelled || cancelled;
                if (!cancelled) run->errors << tr("%1: %2").arg(name, message);
                finishOne();
            });
    }
}

void Explorer::setComparisonTimeFrequency(bool on) {
    wantComparisonTf_ = on;
    if (on && !comparison_.empty() && comparisonTf_.maps.size() != comparison_.size()) computeComparisonTf();
}

// R[f,t] for the comparison on screen, on the worker; dropped when another comparison (or clip)
// has replaced it by the time it is done.
void Explorer::computeComparisonTf() {
    const quint64 serial = comparisonSerial_;
    std::vector<std::vector<float>> maps;
    for (const Explanation& e : comparison_) maps.push_back(e.relevance);
    compute_->submit<signal::TfComparison>(
        tr("comparing: time–frequency relevance"),
        [maps = std::move(maps), samples = clip_.samples, rate = clip_.sampleRate](const JobContext&) {
            return signal::compareInTimeFrequency(samples, maps, rate);
        },
        [this, serial](signal::TfComparison tf) {
            if (serial != comparisonSerial_) return;
            comparisonTf_ = std::move(tf);
            emit comparisonTfReady();
        },
        [this](const QString& message, bool cancelled) {
            if (!cancelled) emit failed(Stage::Compare, tr("Time–frequency relevance"), message);
        });
}

void Explorer::openSession(const Session& s) {
    comparedMethods_ = s.comparedMethods;
    pendingCompare_ = !s.comparedMethods.isEmpty();
    const QString wanted = s.modelPath.isEmpty() ? QString() : QFileInfo(s.modelPath).absoluteFilePath();
    const QString current = modelPath_.isEmpty() ? QString() : QFileInfo(modelPath_).absoluteFilePath();
    if (!model_ || wanted != current) {
        pendingAudio_ = std::make_pair(s.audioPath, s.offsetSeconds);
        openModel(s.modelPath);
    } else {
        openAudio(s.audioPath, s.offsetSeconds);
    }
}

}  // namespace s4scope::app
