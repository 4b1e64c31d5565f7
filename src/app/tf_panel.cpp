#include "app/tf_panel.h"

#include <QCheckBox>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

#include "app/clip_player.h"
#include "app/compute_service.h"
#include "s4scope/audio_io.h"
#include "signal/tf_comparison.h"
#include "views/tf_relevance_plot.h"

namespace s4scope::app {
namespace {

struct ButtonText {
    signal::ListenMask kind;
    const char* text;
    const char* tip;
    Qt::Key key;
};

const std::array<ButtonText, 3>& buttonTexts() {
    static const std::array<ButtonText, 3> texts{{
        {signal::ListenMask::For, QT_TRANSLATE_NOOP("TfPanel", "Play what speaks for"),
         QT_TRANSLATE_NOOP("TfPanel", "The clip rebuilt from the STFT coefficients with R[f,t] > 0 (within the top k %)"), Qt::Key_F7},
        {signal::ListenMask::Against, QT_TRANSLATE_NOOP("TfPanel", "Play what speaks against"),
         QT_TRANSLATE_NOOP("TfPanel", "The clip rebuilt from the coefficients with R[f,t] < 0 (within the top k %)"), Qt::Key_F8},
        {signal::ListenMask::Rest, QT_TRANSLATE_NOOP("TfPanel", "Play what is left"),
         QT_TRANSLATE_NOOP("TfPanel", "Everything the \"for\" signal leaves out: the two add up to the clip"), Qt::Key_F9},
    }};
    return texts;
}

}  // namespace

TfPanel::TfPanel(QWidget* parent) : QWidget(parent) {
    compute_ = new ComputeService(this);
    player_ = new ClipPlayer(this);
    plot_ = new views::TfRelevancePlot(this);
    overlay_ = new QCheckBox(tr("R[f,t] overlay"), this);
    overlay_->setChecked(true);
    opacity_ = new QSlider(Qt::Horizontal, this);
    opacity_->setRange(0, 100);
    opacity_->setValue(85);
    opacity_->setToolTip(tr("Opacity of the relevance overlay"));
    top_ = new QSlider(Qt::Horizontal, this);
    top_->setRange(1, 100);
    top_->setValue(100);
    top_->setToolTip(tr("Listen to the top k % of the STFT coefficients ranked by |R[f,t]|"));
    topLabel_ = new QLabel(this);
    conservation_ = new QLabel(this);
    conservation_->setToolTip(tr("ΣR[f,t] / ΣR[n]: the share of the method's relevance the map shows. "
                                 "Relevance on samples that are exactly zero has no coefficient to go to."));

    auto* controls = new QHBoxLayout;
    controls->addWidget(overlay_);
    controls->addWidget(new QLabel(tr("opacity"), this));
    controls->addWidget(opacity_, 1);
    controls->addSpacing(12);
    controls->addWidget(conservation_, 2);

    auto* listening = new QGridLayout;
    listening->addWidget(new QLabel(tr("top k %"), this), 0, 0);
    listening->addWidget(top_, 0, 1, 1, 2);
    listening->addWidget(topLabel_, 0, 3);
    for (size_t i = 0; i < buttonTexts().size(); ++i) {
        const ButtonText& t = buttonTexts()[i];
        buttons_[i] = new QPushButton(tr(t.text), this);
        buttons_[i]->setShortcut(QKeySequence(t.key));
        buttons_[i]->setToolTip(tr(t.tip) + QStringLiteral("  (%1)").arg(QKeySequence(t.key).toString(QKeySequence::NativeText)));
        probabilities_[i] = new QLabel(QStringLiteral("–"), this);
        probabilities_[i]->setMinimumWidth(260);
        exports_[i] = new QToolButton(this);
        exports_[i]->setText(tr("WAV…"));
        exports_[i]->setToolTip(tr("Export this signal as a WAV file"));
        listening->addWidget(buttons_[i], int(i) + 1, 0, 1, 2);
        listening->addWidget(probabilities_[i], int(i) + 1, 2, 1, 1);
        listening->addWidget(exports_[i], int(i) + 1, 3);
        connect(buttons_[i], &QPushButton::clicked, this, [this, kind = t.kind] { play(kind); });
        connect(exports_[i], &QToolButton::clicked, this, [this, kind = t.kind] { chooseExport(kind); });
    }
    listening->setColumnStretch(1, 1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(plot_, 1);
    layout->addLayout(controls);
    layout->addLayout(listening);

    connect(overlay_, &QCheckBox::toggled, plot_, &views::TfRelevancePlot::setOverlayShown);
    connect(opacity_, &QSlider::valueChanged, this, [this](int v) { plot_->setOverlayOpacity(v / 100.0); });
    connect(top_, &QSlider::valueChanged, this, [this](int v) {
        topLabel_->setText(QStringLiteral("%1 %").arg(v));
        recompute();
    });
    topLabel_->setText(QStringLiteral("%1 %").arg(top_->value()));
    clear();
}

TfPanel::~TfPanel() = default;

bool TfPanel::isBusy() const { return compute_->isBusy(); }

double TfPanel::topPercent() const { return top_->value(); }

void TfPanel::setTopPercent(double percent) { top_->setValue(int(std::lround(percent))); }

int TfPanel::indexOf(signal::ListenMask kind) const {
    for (size_t i = 0; i < buttonTexts().size(); ++i)
        if (buttonTexts()[i].kind == kind) return int(i);
    return 0;
}

QPushButton* TfPanel::listenButton(signal::ListenMask kind) const { return buttons_[size_t(indexOf(kind))]; }
QLabel* TfPanel::probabilityLabel(signal::ListenMask kind) const { return probabilities_[size_t(indexOf(kind))]; }

void TfPanel::explain(std::shared_ptr<const Model> model, const std::vector<float>& samples, int sampleRate,
                      const signal::Spectrogram& spectrogram, const Explanation& explanation) {
    model_ = std::move(model);
    samples_ = samples;
    sampleRate_ = sampleRate;
    spectrogram_ = spectrogram;
    explanation_ = explanation;
    recompute();
}

void TfPanel::clear() {
    ++generation_;
    compute_->cancelAll();
    model_.reset();
    explanation_.reset();
    result_.reset();
    plot_->clear();
    conservation_->clear();
    for (size_t i = 0; i < buttons_.size(); ++i) {
        buttons_[i]->setEnabled(false);
        exports_[i]->setEnabled(false);
        probabilities_[i]->setText(QStringLiteral("–"));
    }
}

void TfPanel::recompute() {
    if (!model_ || !explanation_) return;
    const quint64 generation = ++generation_;
    compute_->cancelAll();  // an older request's result would be dropped anyway
    auto model = model_;
    auto samples = samples_;
    auto explanation = *explanation_;
    const double top = topPercent();
    // The overlay's colour range with the map, on the worker too: the plot only draws.
    using Computed = std::pair<tf::TfExplanation, double>;
    compute_->submit<Computed>(
        tr("Time–frequency relevance"),
        [model, samples, explanation, top](const JobContext&) {
            tf::TfExplanation tf = tf::explainInTimeFrequency(*model, samples, explanation, top);
            const double scale = signal::robustScale(tf.relevance);
            return Computed{std::move(tf), scale};
        },
        [this, generation](Computed result) {
            if (generation != generation_) return;
            result_ = std::move(result.first);
            scale_ = result.second;
            showResult();
            emit ready();
        },
        [this, generation](const QString& message, bool cancelled) {
            if (generation != generation_ || cancelled) return;
            emit failed(message);
        });
}

void TfPanel::showResult() {
    const tf::TfExplanation& r = *result_;
    plot_->setRelevanceScale(scale_);
    plot_->setData(spectrogram_, r.relevance, double(samples_.size()) / sampleRate_);
    conservation_->setText(tr("ΣR[f,t] / ΣR[n] = %1 %   lost at zero samples %2 %")
                               .arg(100 * r.relevance.conservationShare(), 0, 'f', 1)
                               .arg(100 * r.relevance.lostShareAtZero(), 0, 'g', 2));
    for (size_t i = 0; i < buttonTexts().size(); ++i) {
        const tf::MaskedClassification& m = r.listened(buttonTexts()[i].kind);
        buttons_[i]->setEnabled(true);
        exports_[i]->setEnabled(true);
        // Four decimals and the target's logit: the bundled model is saturated on its clips (p ≈ 0.9998),
        // so at three decimals every masked signal read "1.000" and a logit falling from 17.4 to 17.3
        // looked like nothing at all.
        const size_t target = size_t(m.target);
        const QString maskedLogit = target < m.prediction.logits.size() ? QString::number(m.prediction.logits[target], 'f', 1) : QStringLiteral("–");
        const QString clipLogit = explanation_ && target < explanation_->logits.size() ? QString::number(explanation_->logits[target], 'f', 1)
                                                                                       : QStringLiteral("–");
        probabilities_[i]->setText(tr("p(target) %1 · logit %2  (clip %3 · %4)")
                                       .arg(m.targetProbability, 0, 'f', 4)
                                       .arg(maskedLogit)
                                       .arg(r.originalProbability, 0, 'f', 4)
                                       .arg(clipLogit));
        probabilities_[i]->setToolTip(tr("The model on this signal: %1 (%2); %3 % of the coefficients, %4 % of the energy")
                                          .arg(QString::fromStdString(m.prediction.label))
                                          .arg(m.prediction.probability, 0, 'f', 3)
                                          .arg(100 * m.audio.keptCoefficients, 0, 'f', 1)
                                          .arg(100 * m.audio.keptEnergy, 0, 'f', 1));
    }
}

void TfPanel::play(signal::ListenMask kind) {
    if (!result_) return;
    lastPlayed_ = result_->listened(kind).audio.samples;
    player_->stop();
    player_->setClip(lastPlayed_, sampleRate_);
    QString error;
    if (!player_->toggle(&error)) emit statusMessage(tr("Cannot play: %1").arg(error));
    else emit statusMessage(tr("Playing \"%1\"").arg(QString::fromStdString(signal::listenMaskName(kind))));
}

bool TfPanel::exportListening(signal::ListenMask kind, const QString& path) {
    if (!result_) return false;
    try {
        writeWav(path.toStdString(), result_->listened(kind).audio.samples, sampleRate_);
    } catch (const std::exception& e) {
        emit failed(QString::fromUtf8(e.what()));
        return false;
    }
    emit statusMessage(tr("Wrote %1").arg(path));
    return true;
}

void TfPanel::chooseExport(signal::ListenMask kind) {
    const QString name = QStringLiteral("%1_top%2.wav").arg(QString::fromStdString(signal::listenMaskName(kind))).arg(top_->value());
    const QString path = QFileDialog::getSaveFileName(this, tr("Export the masked clip"), name, tr("WAV files (*.wav)"));
    if (!path.isEmpty()) exportListening(kind, path);
}

}  // namespace s4scope::app
