// MainWindow: opening clips, models and sessions; recording.
#include <algorithm>

#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>

#include "app/error_dialog.h"
#include "app/main_window.h"
#include "app/method_panel.h"
#include "app/recent_files.h"
#include "app/recorder_dialog.h"
#include "s4scope/audio_io.h"
#include "s4scope/checkpoint_formats.h"
#include "signal/correlation.h"
#include "ui_main_window.h"

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
    const QString path = QFileDialog::getOpenFileName(this, tr("Open audio"), dialogFolder(QStringLiteral("paths/audio")), tr(kAudioFilter));
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
    const QString path = QFileDialog::getOpenFileName(this, tr("Open session"), dialogFolder(QStringLiteral("paths/session")), tr(kSessionFilter));
    if (path.isEmpty()) return;
    rememberFolder("paths/session", path);
    openSession(path);
}

void MainWindow::chooseSessionToSave() {
    QString path = QFileDialog::getSaveFileName(this, tr("Save session"), dialogFolder(QStringLiteral("paths/session")), tr(kSessionFilter));
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

void MainWindow::openModel(const QString& path) { explorer_->openModel(path); }

void MainWindow::openAudio(const QString& path, double offsetSeconds) { explorer_->openAudio(path, offsetSeconds); }

void MainWindow::record() {
    const auto model = explorer_->model();
    if (!model) return;
    RecorderDialog dialog(model->config().sample_rate, int(model->config().seq_len), this);
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
    Session s = explorer_->session();  // clip, offset and model
    s.method = panel->currentMethod();
    s.target = panel->target();
    s.params = panel->editedParams();
    s.params[s.method] = panel->params(s.method);  // the file documents what the view shows
    for (const QString& id : panel->comparedMethods()) s.params[id] = panel->params(id);
    s.comparedMethods = panel->comparedMethods();
    s.sharedScale = ui_->sharedScaleCheck->isChecked();
    s.correlation = QString::fromLatin1(signal::correlationKey(signal::Correlation(std::clamp(ui_->correlationCombo->currentIndex(), 0, 2))));
    if (wordFile_ == s.audioPath) s.wordSeconds = wordSeconds_;
    return s;
}

bool MainWindow::saveSession(const QString& path) {
    if (!explorer_->hasClip()) {
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
    int measure = 0;  // unknown names: Pearson
    for (int k = 0; k < signal::kCorrelationCount; ++k)
        if (s.correlation == QLatin1String(signal::correlationKey(signal::Correlation(k)))) measure = k;
    ui_->correlationCombo->setCurrentIndex(measure);
    expectSessionWord(s.wordSeconds);
    explorer_->openSession(s);  // the model, the clip, then the comparison
}

}  // namespace s4scope::app
