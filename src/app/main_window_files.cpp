// MainWindow: opening clips, models and sessions; recording.
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>

#include "app/compute_service.h"
#include "app/error_dialog.h"
#include "app/clip_player.h"
#include "app/main_window.h"
#include "app/method_panel.h"
#include "app/recent_files.h"
#include "app/recorder_dialog.h"
#include "app/resources_path.h"
#include "s4scope/audio_io.h"
#include "s4scope/checkpoint_formats.h"
#include "signal/spectrogram.h"
#include "ui_main_window.h"
#include "views/agreement_plot.h"
#include "views/comparison_plot.h"
#include "views/explanation_plot.h"
#include "views/probability_plot.h"

namespace s4scope::app {
namespace {

const char* kAudioFilter = "Audio (*.wav *.flac *.ogg *.mp3 *.WAV *.FLAC *.OGG *.MP3);;All files (*)";
// "Model (*_config.json *.pt *.pth *.safetensors)" from the engine's table of checkpoint formats.
QString modelFilter() {
    QString patterns = QStringLiteral("*") + QString::fromStdString(modelConfigSuffix());
    for (const std::string& ext : checkpointExtensions()) patterns += QStringLiteral(" *") + QString::fromStdString(ext);
    return QObject::tr("Model (%1);;All files (*)").arg(patterns);
}

bool isModelFile(const QString& path) {
    return path.endsWith(QString::fromStdString(modelConfigSuffix()), Qt::CaseInsensitive) ||
           checkpointFormatFor(path.toStdString()) != nullptr;
}
const char* kSessionFilter = "s4scope session (*.s4session);;All files (*)";

QString lastFolder(const char* key) { return QSettings().value(QLatin1String(key), QDir::homePath()).toString(); }
void rememberFolder(const char* key, const QString& file) {
    QSettings().setValue(QLatin1String(key), QFileInfo(file).absolutePath());
}

}  // namespace

void MainWindow::chooseAudio() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open audio"), lastFolder("paths/audio"), tr(kAudioFilter));
    if (path.isEmpty()) return;
    rememberFolder("paths/audio", path);
    openAudio(path);
}

void MainWindow::chooseModel() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open model"), lastFolder("paths/model"), modelFilter());
    if (path.isEmpty()) return;
    rememberFolder("paths/model", path);
    openModel(path);
}

void MainWindow::chooseSession() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open session"), lastFolder("paths/session"), tr(kSessionFilter));
    if (path.isEmpty()) return;
    rememberFolder("paths/session", path);
    openSession(path);
}

void MainWindow::chooseSessionToSave() {
    QString path = QFileDialog::getSaveFileName(this, tr("Save session"), lastFolder("paths/session"), tr(kSessionFilter));
    if (path.isEmpty()) return;
    if (QFileInfo(path).suffix().isEmpty()) path += QStringLiteral(".s4session");
    rememberFolder("paths/session", path);
    saveSession(path);
}

void MainWindow::openDropped(const QString& path) {
    const QString name = QFileInfo(path).fileName().toLower();
    if (name.endsWith(QLatin1String(".s4session"))) return openSession(path);
    if (isModelFile(name)) return openModel(path);
    openAudio(path);
}

void MainWindow::openModel(const QString& path) {
    const QString bundled = bundledModelPath();
    statusBar()->showMessage(tr("Loading the model…"));
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
            statusBar()->clearMessage();
            if (cancelled) {  // Esc before the load started: the app still needs a model
                if (!model_) openModel(path);
                return;
            }
            showError(this, tr("Cannot open the model"), message);
            if (!model_ && !path.isEmpty()) return openModel(QString());  // start-up: fall back to the bundled one
            if (pendingAudio_) {  // a session's clip still opens, with the model we have
                const auto [audio, offset] = *pendingAudio_;
                pendingAudio_.reset();
                openAudio(audio, offset);
            }
        });
}

void MainWindow::onModelLoaded(std::shared_ptr<const Model> model, const QString& path, bool fallback) {
    model_ = std::move(model);
    modelPath_ = path;
    modelIsFallback_ = fallback;
    ++generation_;
    statusBar()->showMessage(tr("Model loaded: %1").arg(QString::fromStdString(model_->source())), 4000);
    ui_->methodPanel->setLabels(model_->config().labels);
    probabilityPlot()->setLabels(model_->config().labels);
    prediction_.reset();
    updateStatus();
    emit modelReady();
    updateLiveModel();
    if (pendingAudio_) {
        const auto [audio, offset] = *pendingAudio_;
        pendingAudio_.reset();
        openAudio(audio, offset);
    } else if (hasClip()) {
        openAudio(clip_.path, clip_.offsetSeconds);  // the new model may want another rate or length
    }
}

void MainWindow::openAudio(const QString& path, double offsetSeconds) {
    if (!model_) {
        pendingAudio_ = std::make_pair(path, offsetSeconds);
        return;
    }
    // Work still queued for the previous clip would only be thrown away: stop it now.
    if (hasClip()) compute_->cancelAll();
    AudioLoadOptions options;
    options.sampleRate = model_->config().sample_rate;
    options.length = model_->config().seq_len;
    options.startSeconds = offsetSeconds;
    compute_->submit<Clip>(
        tr("loading %1").arg(QFileInfo(path).fileName()),
        [path, options](const JobContext&) {
            Audio audio = loadAudio(path.toStdString(), options);
            return Clip{QFileInfo(path).absoluteFilePath(), options.startSeconds, std::move(audio.samples), audio.sampleRate};
        },
        [this](Clip clip) { onClipLoaded(std::move(clip)); },
        [this](const QString& message, bool cancelled) {
            if (cancelled) return;  // superseded by a newer clip
            pendingCompare_ = false;
            showError(this, tr("Cannot open the audio file"), message);
        });
}

void MainWindow::onClipLoaded(Clip clip) {
    ++generation_;
    const bool rerunComparison = pendingCompare_ || (!comparison_.empty() && ui_->viewTabs->currentWidget() == ui_->comparisonTab);
    const QStringList compared = pendingCompare_ || comparisonRequested_.size() ? comparisonRequested_ : ui_->methodPanel->comparedMethods();
    pendingCompare_ = false;
    clip_ = std::move(clip);
    prediction_.reset();
    explanation_.reset();
    comparison_.clear();
    player_->setClip(clip_.samples, clip_.sampleRate);
    explanationPlot()->setClip(clip_.samples, clip_.sampleRate, signal::computeSpectrogram(clip_.samples, clip_.sampleRate));
    explanationPlot()->setTitle(QFileInfo(clip_.path).fileName());
    comparisonPlot()->setClip(clip_.samples, clip_.sampleRate);
    agreementPlot()->setMaps({}, {});
    probabilityPlot()->setProbabilities({}, -1, -1);
    recent_->add(clip_.path);
    updateStatus();
    emit clipReady();
    classify();
    if (ui_->actionAutoExplain->isChecked()) explainCurrent();
    if (rerunComparison) compare(compared);
}

void MainWindow::record() {
    if (!model_) return;
    RecorderDialog dialog(model_->config().sample_rate, int(model_->config().seq_len), this);
    if (dialog.exec() != QDialog::Accepted || dialog.recording().empty()) return;
    openSamples(dialog.recording(), dialog.sampleRate(), QStringLiteral("recording"));
}

// A recording or a frozen live second: saved as a WAV (so sessions and recent files can name it), then opened.
void MainWindow::openSamples(const std::vector<float>& samples, int sampleRate, const QString& name) {
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/recordings");
    QDir().mkpath(folder);
    const QString path = folder + QStringLiteral("/%1-%2.wav").arg(name, QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss-zzz")));
    try {
        writeWav(path.toStdString(), samples, sampleRate);
    } catch (const std::exception& e) {
        showError(this, tr("Cannot save the recording"), QString::fromUtf8(e.what()));
        return;
    }
    statusBar()->showMessage(tr("Saved one second to %1").arg(path), 5000);
    openAudio(path);
}

Session MainWindow::currentSession() const {
    MethodPanel* panel = ui_->methodPanel;
    Session s;
    s.audioPath = clip_.path;
    s.offsetSeconds = clip_.offsetSeconds;
    s.modelPath = modelPath_.isEmpty() ? QString() : QFileInfo(modelPath_).absoluteFilePath();
    s.method = panel->currentMethod();
    s.target = panel->target();
    s.params = panel->editedParams();
    s.params[s.method] = panel->params(s.method);  // the file documents what the view shows
    for (const QString& id : panel->comparedMethods()) s.params[id] = panel->params(id);
    s.comparedMethods = panel->comparedMethods();
    s.sharedScale = ui_->sharedScaleCheck->isChecked();
    s.correlation = ui_->correlationCombo->currentIndex() == 1 ? QStringLiteral("spearman") : QStringLiteral("pearson");
    return s;
}

bool MainWindow::saveSession(const QString& path) {
    if (!hasClip()) {
        showError(this, tr("Cannot save the session"), tr("There is nothing to save yet: open a clip first."));
        return false;
    }
    try {
        currentSession().save(path);
    } catch (const std::exception& e) {
        showError(this, tr("Cannot save the session"), QString::fromUtf8(e.what()));
        return false;
    }
    recent_->add(path);
    statusBar()->showMessage(tr("Session saved to %1").arg(path), 5000);
    return true;
}

void MainWindow::openSession(const QString& path) {
    try {
        const Session session = Session::load(path);
        recent_->add(path);
        applySession(session);
    } catch (const std::exception& e) {
        showError(this, tr("Cannot open the session"), QString::fromUtf8(e.what()));
    }
}

void MainWindow::applySession(const Session& s) {
    MethodPanel* panel = ui_->methodPanel;
    panel->setEditedParams(s.params);
    panel->setCurrentMethod(s.method);
    panel->setTarget(s.target);
    panel->setComparedMethods(s.comparedMethods);
    ui_->sharedScaleCheck->setChecked(s.sharedScale);
    ui_->correlationCombo->setCurrentIndex(s.correlation == QLatin1String("spearman") ? 1 : 0);
    comparisonRequested_ = s.comparedMethods;
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
