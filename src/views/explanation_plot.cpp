#include "views/explanation_plot.h"

#include "views/relevance_strip_layer.h"
#include "views/spectrogram_layer.h"
#include "views/waveform_layer.h"

namespace s4scope::views {

ExplanationPlot::ExplanationPlot(QWidget* parent) : TimeLinkedPlot(parent) {
    setReadoutBoxShown(true);
    plotLayout()->setRowSpacing(2);
    // The rows, top to bottom. A new row is one more line here.
    waveform_ = addRow(std::make_unique<WaveformLayer>());
    spectrogram_ = addRow(std::make_unique<SpectrogramLayer>());
    strip_ = addRow(std::make_unique<RelevanceStripLayer>());

    QCPAxisRect* top = rowRect(0);
    placeholder_ = new QCPItemText(this);
    placeholder_->setClipAxisRect(top);
    placeholder_->position->setAxisRect(top);
    placeholder_->position->setType(QCPItemPosition::ptAxisRectRatio);
    placeholder_->position->setCoords(0.5, 0.5);
    placeholder_->setPositionAlignment(Qt::AlignCenter);
    placeholder_->setLayer(QStringLiteral("overlay"));
    placeholder_->setSelectable(false);
    placeholder_->setText(tr("Open a clip (Ctrl+O), drop a file here, pick a sample clip or record one"));
    placeholder_->setColor(QColor(0x60, 0x60, 0x60));
    setMinimumSize(480, 360);
    refreshTheme();
}

ExplanationPlot::~ExplanationPlot() = default;

void ExplanationPlot::setClip(const std::vector<float>& samples, int sampleRate, signal::Spectrogram spectrogram) {
    clip_.samples = samples;
    clip_.sampleRate = sampleRate;
    clip_.spectrogram = std::move(spectrogram);
    clip_.relevance.clear();
    clipChanged();
    requestReplot();
}

void ExplanationPlot::setRelevance(const std::vector<float>& relevance) {
    clip_.relevance = relevance;
    relevanceChanged();
    refreshRows();
    requestReplot();
}

void ExplanationPlot::showFrame(const std::vector<float>& samples, int sampleRate, const signal::Spectrogram& spectrogram,
                                const std::vector<float>& relevance) {
    setReplotsHeld(true);
    clip_.samples = samples;  // copies reuse the previous frame's storage
    clip_.sampleRate = sampleRate;
    clip_.spectrogram = spectrogram;
    clip_.relevance = relevance;
    clipChanged();
    setReplotsHeld(false);
}

void ExplanationPlot::clipChanged() {
    for (int i = 0; i < rowCount(); ++i) rowLayer(i)->setClip(clip_);
    if (!clip_.relevance.empty()) relevanceChanged();
    placeholder_->setVisible(clip_.samples.empty());
    setTimeExtent(clip_.duration(), clip_.sampleRate);
    showWholeClip();
}

void ExplanationPlot::relevanceChanged() {
    for (int i = 0; i < rowCount(); ++i) rowLayer(i)->setRelevance(clip_);
}

void ExplanationPlot::setSpectrogramMap(SpectrogramMap map) {
    spectrogram_->setColourMap(map);
    requestReplot();
}

// The strip adds its value per frame to the waveform's amplitude and relevance at that time.
QString ExplanationPlot::readoutAt(int row, double seconds, double value) const {
    QString text = TimeLinkedPlot::readoutAt(row, seconds, value);
    if (rowLayer(row) == strip_) {
        const QString own = strip_->readout(seconds, value);
        text = QStringLiteral("t %1 s   ").arg(timeOrigin() + seconds, 0, 'f', 4) + waveform_->readout(seconds, 0) +
               (own.isEmpty() ? QString() : QStringLiteral("   ") + own);
    }
    return text;
}

}  // namespace s4scope::views
