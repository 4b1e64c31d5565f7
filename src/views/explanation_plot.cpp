#include "views/explanation_plot.h"

#include <cmath>

#include "views/colour_maps.h"
#include "views/relevance_strip_layer.h"
#include "views/spectrogram_layer.h"
#include "views/time_range.h"
#include "views/waveform_layer.h"

namespace s4scope::views {
namespace {

QCPAxisRect* addAxisRect(QCustomPlot* plot, int row) {
    auto* rect = new QCPAxisRect(plot);
    plot->plotLayout()->addElement(row, 0, rect);
    rect->setRangeDrag(Qt::Horizontal);
    rect->setRangeZoom(Qt::Horizontal);
    return rect;
}

QCPItemText* addLabel(QCustomPlot* plot, QCPAxisRect* rect, double x, double y, Qt::Alignment alignment) {
    auto* label = new QCPItemText(plot);
    label->setClipAxisRect(rect);
    label->position->setAxisRect(rect);
    label->position->setType(QCPItemPosition::ptAxisRectRatio);
    label->position->setCoords(x, y);
    label->setPositionAlignment(alignment);
    label->setLayer(QStringLiteral("overlay"));
    label->setSelectable(false);
    return label;
}

QString signedNumber(double v) { return (v >= 0 ? QStringLiteral("+") : QString()) + QString::number(v, 'g', 3); }

}  // namespace

ExplanationPlot::ExplanationPlot(QWidget* parent) : PlotWidget(parent) {
    plotLayout()->clear();
    title_ = new QCPTextElement(this, QString(), QFont(font().family(), font().pointSize() + 1, QFont::Bold));
    plotLayout()->addElement(0, 0, title_);

    waveRect_ = addAxisRect(this, 1);
    relevanceScale_ = new QCPColorScale(this);
    plotLayout()->addElement(1, 1, relevanceScale_);
    spectroRect_ = addAxisRect(this, 2);
    dbScale_ = new QCPColorScale(this);
    plotLayout()->addElement(2, 1, dbScale_);
    stripRect_ = addAxisRect(this, 3);
    plotLayout()->setColumnStretchFactor(1, 0.01);
    plotLayout()->setRowStretchFactors({0.01, 1.0, 1.15, 0.01});
    plotLayout()->setRowSpacing(2);

    // The strip sits directly under the spectrogram and carries the shared time axis for both.
    spectroRect_->axis(QCPAxis::atBottom)->setTickLabels(false);
    spectroRect_->setAutoMargins(QCP::msLeft | QCP::msRight | QCP::msTop);
    spectroRect_->setMargins(QMargins(0, 0, 0, 2));
    stripRect_->setAutoMargins(QCP::msLeft | QCP::msRight | QCP::msBottom);
    stripRect_->setMargins(QMargins(0, 0, 0, 0));
    stripRect_->setSizeConstraintRect(QCPLayoutElement::scrInnerRect);
    stripRect_->setMinimumSize(0, 28);
    stripRect_->setMaximumSize(QWIDGETSIZE_MAX, 30);

    auto* columns = new QCPMarginGroup(this);
    for (QCPAxisRect* rect : {waveRect_, spectroRect_, stripRect_}) rect->setMarginGroup(QCP::msLeft | QCP::msRight, columns);
    auto* waveRow = new QCPMarginGroup(this);
    waveRect_->setMarginGroup(QCP::msTop | QCP::msBottom, waveRow);
    relevanceScale_->setMarginGroup(QCP::msTop | QCP::msBottom, waveRow);
    auto* spectroRow = new QCPMarginGroup(this);
    spectroRect_->setMarginGroup(QCP::msTop, spectroRow);
    dbScale_->setMarginGroup(QCP::msTop, spectroRow);
    for (QCPColorScale* scale : {relevanceScale_, dbScale_}) scale->setBarWidth(12);

    waveform_ = new WaveformLayer(waveRect_);
    waveform_->colourMap()->setColorScale(relevanceScale_);  // the map adopts the scale's gradient:
    relevanceScale_->setGradient(relevanceGradient());       // so set it on the scale afterwards
    relevanceScale_->axis()->setLabel(QStringLiteral("relevance / max |R|"));
    relevanceScale_->setDataRange(QCPRange(-1, 1));
    spectrogram_ = new SpectrogramLayer(spectroRect_, dbScale_);
    spectroRect_->axis(QCPAxis::atBottom)->setLabel(QString());
    strip_ = new RelevanceStripLayer(stripRect_);

    readout_ = addLabel(this, waveRect_, 1, 0, Qt::AlignRight | Qt::AlignTop);
    readout_->setPadding(QMargins(6, 3, 6, 3));
    readout_->setBrush(QColor(255, 255, 255, 225));
    readout_->setPen(QPen(QColor(0, 0, 0, 80)));
    readout_->setColor(Qt::black);
    readout_->setVisible(false);
    placeholder_ = addLabel(this, waveRect_, 0.5, 0.5, Qt::AlignCenter);
    placeholder_->setText(tr("Open a clip (Ctrl+O), drop a file here, pick a sample clip or record one"));
    placeholder_->setColor(QColor(0x60, 0x60, 0x60));

    crosshair_ = std::make_unique<TimeMarker>(this, QPen(QColor(0x30, 0x30, 0x30, 170), 1, Qt::DashLine));
    crosshair_->attach({waveRect_, spectroRect_, stripRect_});
    playhead_ = std::make_unique<TimeMarker>(this, QPen(PlotTheme::light().playhead, 2));
    playhead_->attach({waveRect_, spectroRect_, stripRect_});

    for (QCPAxisRect* rect : {waveRect_, spectroRect_, stripRect_}) {
        rect->axis(QCPAxis::atBottom)->setRange(0, 1);
        connect(rect->axis(QCPAxis::atBottom), qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this,
                &ExplanationPlot::onAxisRangeChanged);
    }
    // Pixel columns change with the widget's size: re-pool the relevance band when they do.
    connect(this, &QCustomPlot::afterLayout, this, [this] {
        if (waveform_->hasRelevance() && waveRect_->width() != waveform_->colourMap()->data()->keySize())
            updateRelevanceColours();
    });
    // The crosshair, readout and playhead live on the "overlay" layer (see replotOverlay).
    layer(QStringLiteral("overlay"))->setMode(QCPLayer::lmLogical);
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    setMouseTracking(true);
    setMinimumSize(480, 360);
    refreshTheme();
}

ExplanationPlot::~ExplanationPlot() = default;

void ExplanationPlot::setClip(const std::vector<float>& samples, int sampleRate) {
    setClip(samples, sampleRate, computeSpectrogram(samples, sampleRate));
}

void ExplanationPlot::setClip(const std::vector<float>& samples, int sampleRate, Spectrogram spectrogram) {
    waveform_->setClip(samples, sampleRate);
    spectrogram_->setSpectrogram(std::move(spectrogram));
    strip_->clear();
    placeholder_->setVisible(samples.empty());
    resetZoom();
    requestReplot();
}

void ExplanationPlot::setRelevance(const std::vector<float>& relevance) {
    waveform_->setRelevance(relevance);
    updateRelevanceColours();
    updateStrip();
    requestReplot();
}

void ExplanationPlot::showFrame(const std::vector<float>& samples, int sampleRate, const Spectrogram& spectrogram,
                                const std::vector<float>& relevance) {
    holdReplots_ = true;
    waveform_->setClip(samples, sampleRate);
    waveform_->setRelevance(relevance);
    spectrogram_->setSpectrogram(spectrogram);
    placeholder_->setVisible(samples.empty());
    resetZoom();  // pools the relevance only if the range changes: once more below in any case
    updateRelevanceColours();
    updateStrip();
    holdReplots_ = false;
}

void ExplanationPlot::setTitle(const QString& title) {
    title_->setText(title);
    requestReplot();
}

void ExplanationPlot::setSpectrogramMap(SpectrogramMap map) {
    spectrogram_->setColourMap(map);
    requestReplot();
}

void ExplanationPlot::requestReplot() {
    if (!holdReplots_) replot(rpQueuedReplot);
}

// While the crosshair, the readout or the playhead shows, the overlay layer has a paint buffer of its
// own, so moving them redraws only that layer (the waveform and maps stay as drawn). Otherwise it
// shares the main buffer: every full replot, a live update's above all, then clears and composites
// one full-size buffer instead of two.
void ExplanationPlot::replotOverlay() {
    QCPLayer* overlay = layer(QStringLiteral("overlay"));
    const bool inUse = crosshair_->isVisible() || readout_->visible() || playhead_->isVisible();
    const QCPLayer::LayerMode mode = inUse ? QCPLayer::lmBuffered : QCPLayer::lmLogical;
    if (overlay->mode() != mode) {
        overlay->setMode(mode);  // the buffers change: one full replot
        requestReplot();
    } else if (inUse) {
        overlay->replot();
    }  // else nothing on the overlay showed before or shows now: nothing to redraw
}

const std::vector<float>& ExplanationPlot::relevance() const { return waveform_->relevance(); }
const std::vector<float>& ExplanationPlot::samples() const { return waveform_->samples(); }
double ExplanationPlot::duration() const { return waveform_->duration(); }

QCPRange ExplanationPlot::timeRange() const { return waveRect_->axis(QCPAxis::atBottom)->range(); }

void ExplanationPlot::setTimeRange(const QCPRange& range) { waveRect_->axis(QCPAxis::atBottom)->setRange(range); }

void ExplanationPlot::resetZoom() { setTimeRange(QCPRange(0, duration() > 0 ? duration() : 1.0)); }

void ExplanationPlot::zoomBy(double factor) { setTimeRange(zoomedTimeRange(timeRange(), factor)); }

void ExplanationPlot::setPlayhead(double seconds) {
    playhead_->setVisible(seconds >= 0);
    if (seconds >= 0) playhead_->setTime(seconds);
    replotOverlay();
}

void ExplanationPlot::onAxisRangeChanged(const QCPRange& range) {
    if (syncing_) return;
    const QCPRange clamped =
        duration() > 0 ? clampTimeRange(range, duration(), 64.0 / waveform_->sampleRate()) : range;
    syncing_ = true;
    for (QCPAxisRect* rect : {waveRect_, spectroRect_, stripRect_}) rect->axis(QCPAxis::atBottom)->setRange(clamped);
    syncing_ = false;
    updateRelevanceColours();
    emit timeRangeChanged(clamped);
    requestReplot();
}

void ExplanationPlot::updateRelevanceColours() {
    waveform_->applyScale(waveform_->pool());
    relevanceScale_->setVisible(waveform_->hasRelevance());
}

void ExplanationPlot::updateStrip() {
    const Spectrogram& s = spectrogram_->spectrogram();
    strip_->setRelevance(waveform_->relevance(), waveform_->sampleRate(), s.hopSamples, s.frames);
}

void ExplanationPlot::applyPlotTheme(const PlotTheme& theme) {
    PlotWidget::applyPlotTheme(theme);
    waveform_->setWaveformColour(theme.waveform);  // always on the white-centred band
    playhead_->setPen(QPen(theme.playhead, 2));
}

QString ExplanationPlot::readoutAt(const QPointF& position) const {
    QCPAxisRect* rect = axisRectAt(position);
    if (!rect || samples().empty()) return QString();
    const double t = rect->axis(QCPAxis::atBottom)->pixelToCoord(position.x());
    if (t < 0 || t > duration()) return QString();
    QString text = QStringLiteral("t %1 s").arg(t, 0, 'f', 4);
    if (rect == spectroRect_) {
        const double hz = rect->axis(QCPAxis::atLeft)->pixelToCoord(position.y());
        return text + QStringLiteral("   f %1 Hz   %2 dB").arg(hz, 0, 'f', 0).arg(spectrogram_->dbAt(t, hz), 0, 'f', 1);
    }
    text += QStringLiteral("   amplitude %1").arg(signedNumber(waveform_->amplitudeAt(t)));
    if (waveform_->hasRelevance()) {
        text += QStringLiteral("   R %1").arg(signedNumber(waveform_->relevanceAt(t)));
        if (rect == stripRect_) text += QStringLiteral("   R/frame %1").arg(signedNumber(strip_->frameRelevanceAt(t)));
    }
    return text;
}

void ExplanationPlot::mouseMoveEvent(QMouseEvent* event) {
    PlotWidget::mouseMoveEvent(event);
    const QString text = readoutAt(event->position());
    crosshair_->setVisible(!text.isEmpty());
    if (!text.isEmpty()) {
        QCPAxisRect* rect = axisRectAt(event->position());
        crosshair_->setTime(rect->axis(QCPAxis::atBottom)->pixelToCoord(event->position().x()));
    }
    readout_->setText(text);
    readout_->setVisible(!text.isEmpty());
    emit readoutChanged(text);
    replotOverlay();
}

void ExplanationPlot::mouseDoubleClickEvent(QMouseEvent* event) {
    PlotWidget::mouseDoubleClickEvent(event);
    resetZoom();
}

void ExplanationPlot::leaveEvent(QEvent* event) {
    PlotWidget::leaveEvent(event);
    crosshair_->setVisible(false);
    readout_->setVisible(false);
    emit readoutChanged(QString());
    replotOverlay();
}

}  // namespace s4scope::views
