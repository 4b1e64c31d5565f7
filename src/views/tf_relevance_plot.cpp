#include "views/tf_relevance_plot.h"

#include <algorithm>
#include <cmath>

#include "views/colour_maps.h"

namespace s4scope::views {
namespace {

// QCPColorMapData written as a whole (cells in one pass), as SpectrogramLayer does.
class Cells : public QCPColorMapData {
public:
    Cells() : QCPColorMapData(0, 0, QCPRange(0, 1), QCPRange(0, 1)) {}
    double* cells() {
        mDataModified = true;
        return mData;
    }
    double cell(int key, int value) const { return mData[size_t(value) * size_t(mKeySize) + size_t(key)]; }
};

QCPColorGradient greyGradient() {
    QCPColorGradient g;
    g.clearColorStops();
    g.setColorStopAt(0, QColor(250, 250, 250));
    g.setColorStopAt(1, QColor(40, 40, 40));
    g.setLevelCount(256);
    return g;
}

}  // namespace

TfRelevancePlot::TfRelevancePlot(QWidget* parent) : PlotWidget(parent) {
    plotLayout()->clear();
    mapRect_ = new QCPAxisRect(this);
    profileRect_ = new QCPAxisRect(this);
    scaleBar_ = new QCPColorScale(this);
    plotLayout()->addElement(0, 0, mapRect_);
    plotLayout()->addElement(0, 1, profileRect_);
    plotLayout()->addElement(0, 2, scaleBar_);
    plotLayout()->setColumnStretchFactors({5.0, 1.2, 0.1});
    auto* rows = new QCPMarginGroup(this);
    mapRect_->setMarginGroup(QCP::msTop | QCP::msBottom, rows);
    profileRect_->setMarginGroup(QCP::msTop | QCP::msBottom, rows);
    scaleBar_->setMarginGroup(QCP::msTop | QCP::msBottom, rows);

    QCPAxis* time = mapRect_->axis(QCPAxis::atBottom);
    QCPAxis* hz = mapRect_->axis(QCPAxis::atLeft);
    time->setLabel(tr("time (s)"));
    hz->setLabel(tr("frequency (Hz)"));
    hz->setRange(0, 8000);
    spectrogramMap_ = new QCPColorMap(time, hz);
    spectrogramMap_->setData(new Cells, false);
    spectrogramMap_->setInterpolate(false);
    spectrogramMap_->setGradient(greyGradient());
    overlay_ = new QCPColorMap(time, hz);
    overlay_->setData(new Cells, false);
    overlay_->setInterpolate(false);
    overlay_->setColorScale(scaleBar_);
    scaleBar_->axis()->setLabel(tr("R[f,t]"));
    scaleBar_->setBarWidth(10);

    // The profile: horizontal bars, frequency up the side as in the map beside it.
    QCPAxis* profileHz = profileRect_->axis(QCPAxis::atLeft);
    QCPAxis* sum = profileRect_->axis(QCPAxis::atBottom);
    profileHz->setTickLabels(false);
    sum->setLabel(tr("Σₜ R[f,t]"));
    profilePositive_ = new QCPBars(profileHz, sum);
    profileNegative_ = new QCPBars(profileHz, sum);
    QCPColorGradient diverging = relevanceGradient();
    for (QCPBars* bars : {profilePositive_, profileNegative_}) bars->setPen(Qt::NoPen);
    profilePositive_->setBrush(QColor::fromRgba(diverging.color(0.85, QCPRange(-1, 1))));
    profileNegative_->setBrush(QColor::fromRgba(diverging.color(-0.85, QCPRange(-1, 1))));
    connect(hz, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), profileHz, qOverload<const QCPRange&>(&QCPAxis::setRange));
    profileHz->setRange(hz->range());

    readout_ = new QCPItemText(this);
    readout_->setClipToAxisRect(false);
    readout_->position->setAxisRect(mapRect_);
    readout_->position->setType(QCPItemPosition::ptAxisRectRatio);
    readout_->position->setCoords(0.01, 0.02);
    readout_->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
    readout_->setPadding(QMargins(4, 2, 4, 2));
    readout_->setVisible(false);
    for (auto* map : {spectrogramMap_, overlay_}) map->setSelectable(QCP::stNone);
    setMinimumSize(480, 260);
    updateOverlayGradient();
    refreshTheme();
}

double TfRelevancePlot::robustScale(const signal::TfRelevance& relevance) {
    std::vector<double> magnitudes;
    magnitudes.reserve(relevance.values.size());
    for (double v : relevance.values)
        if (v != 0) magnitudes.push_back(std::abs(v));
    if (magnitudes.empty()) return 1;
    const size_t k = std::min(magnitudes.size() - 1, size_t(0.995 * double(magnitudes.size())));
    std::nth_element(magnitudes.begin(), magnitudes.begin() + long(k), magnitudes.end());
    return magnitudes[k] > 0 ? magnitudes[k] : 1;
}

void TfRelevancePlot::setData(const signal::Spectrogram& spectrogram, const signal::TfRelevance& relevance, double duration) {
    spectrogram_ = spectrogram;
    relevance_ = relevance;
    profile_ = relevance_.frequencyProfile();

    auto* grey = static_cast<Cells*>(spectrogramMap_->data());
    if (spectrogram_.frames >= 2) {
        grey->setSize(spectrogram_.frames, spectrogram_.bins);
        grey->setRange(QCPRange(spectrogram_.frameTime(0), spectrogram_.frameTime(spectrogram_.frames - 1)),
                       QCPRange(0, (spectrogram_.bins - 1) * spectrogram_.binHz));
        double* cells = grey->cells();
        for (int f = 0; f < spectrogram_.frames; ++f)
            for (int b = 0; b < spectrogram_.bins; ++b)
                cells[size_t(b) * size_t(spectrogram_.frames) + size_t(f)] = spectrogram_.at(f, b);
        const double top = std::ceil(spectrogram_.maxDb() / 10.0) * 10.0;
        spectrogramMap_->setDataRange(QCPRange(top - 80, top));
    } else {
        grey->clear();
    }

    auto* cells = static_cast<Cells*>(overlay_->data());
    if (relevance_.frames >= 2) {
        cells->setSize(relevance_.frames, relevance_.bins);
        cells->setRange(QCPRange(relevance_.frameTime(0), relevance_.frameTime(relevance_.frames - 1)),
                        QCPRange(0, relevance_.binFrequency(relevance_.bins - 1)));
        double* out = cells->cells();
        for (int t = 0; t < relevance_.frames; ++t)
            for (int f = 0; f < relevance_.bins; ++f) out[size_t(f) * size_t(relevance_.frames) + size_t(t)] = relevance_.at(t, f);
    } else {
        cells->clear();
    }
    setRelevanceScale(scale_);

    QVector<double> keys, positive, negative;
    for (int f = 0; f < relevance_.bins; ++f) {
        keys << relevance_.binFrequency(f);
        positive << std::max(0.0, profile_[size_t(f)]);
        negative << std::min(0.0, profile_[size_t(f)]);
    }
    const double width = relevance_.bins > 1 ? relevance_.binFrequency(1) : 1;
    for (QCPBars* bars : {profilePositive_, profileNegative_}) bars->setWidth(width);
    profilePositive_->setData(keys, positive, true);
    profileNegative_->setData(keys, negative, true);
    double peak = 0;
    for (double p : profile_) peak = std::max(peak, std::abs(p));
    profileRect_->axis(QCPAxis::atBottom)->setRange(-1.05 * (peak > 0 ? peak : 1), 1.05 * (peak > 0 ? peak : 1));
    mapRect_->axis(QCPAxis::atBottom)->setRange(0, duration > 0 ? duration : 1);
    mapRect_->axis(QCPAxis::atLeft)->setRange(0, relevance_.sampleRate > 0 ? relevance_.sampleRate / 2.0 : 8000);
    replot(QCustomPlot::rpQueuedReplot);
}

void TfRelevancePlot::clear() {
    setData({}, {}, 1);
}

void TfRelevancePlot::setRelevanceScale(double scale) {
    scale_ = scale > 0 ? scale : 0;
    shownScale_ = scale_ > 0 ? scale_ : robustScale(relevance_);
    overlay_->setDataRange(QCPRange(-shownScale_, shownScale_));
    replot(QCustomPlot::rpQueuedReplot);
}

void TfRelevancePlot::setOverlayShown(bool shown) {
    overlay_->setVisible(shown);
    scaleBar_->setVisible(shown);
    replot(QCustomPlot::rpQueuedReplot);
}

bool TfRelevancePlot::overlayShown() const { return overlay_->visible(); }

void TfRelevancePlot::setOverlayOpacity(double opacity) {
    opacity_ = std::clamp(opacity, 0.0, 1.0);
    updateOverlayGradient();
    replot(QCustomPlot::rpQueuedReplot);
}

// The relevance map with alpha rising from 0 at R = 0 (the spectrogram shows through) to the
// chosen opacity at ±scale, so the grey of the clip stays readable under weak relevance.
void TfRelevancePlot::updateOverlayGradient() {
    QCPColorGradient base = relevanceGradient();
    QCPColorGradient g;
    g.clearColorStops();
    g.setColorInterpolation(QCPColorGradient::ciRGB);
    const int stops = 21;
    for (int i = 0; i < stops; ++i) {
        const double u = double(i) / (stops - 1), v = 2 * u - 1;  // v in [-1, 1]
        QColor c = QColor::fromRgba(base.color(v, QCPRange(-1, 1)));
        c.setAlphaF(float(opacity_ * std::min(1.0, 1.5 * std::abs(v))));
        g.setColorStopAt(u, c);
    }
    g.setLevelCount(1025);
    overlay_->setGradient(g);
    scaleBar_->setGradient(base);  // the bar shows the colours themselves
}

double TfRelevancePlot::overlayCell(int frame, int bin) const {
    return static_cast<const Cells*>(overlay_->data())->cell(frame, bin);
}

QString TfRelevancePlot::readoutAt(double seconds, double hz) const {
    QString text = QStringLiteral("t %1 s   f %2 Hz").arg(seconds, 0, 'f', 3).arg(hz, 0, 'f', 0);
    const signal::Spectrogram& s = spectrogram_;
    if (s.frames > 0) {
        const int frame = int(std::lround(seconds * s.sampleRate / s.hopSamples));
        const int bin = int(std::lround(hz / s.binHz));
        if (frame >= 0 && frame < s.frames && bin >= 0 && bin < s.bins) text += QStringLiteral("   %1 dB").arg(s.at(frame, bin), 0, 'f', 1);
    }
    const signal::TfRelevance& r = relevance_;
    if (r.frames > 0) {
        const int frame = int(std::lround((seconds * r.sampleRate - double(r.firstStart) - 0.5 * r.windowSamples) / r.hopSamples));
        const int bin = int(std::lround(hz * r.fftSize / r.sampleRate));
        if (frame >= 0 && frame < r.frames && bin >= 0 && bin < r.bins)
            text += QStringLiteral("   R[f,t] %1").arg(r.at(frame, bin), 0, 'g', 3);
    }
    return text;
}

void TfRelevancePlot::applyPlotTheme(const PlotTheme& theme) {
    PlotWidget::applyPlotTheme(theme);
    profileRect_->setBackground(theme.panel);
    readout_->setColor(theme.text);
    readout_->setBrush(QBrush(theme.background));
    readout_->setPen(QPen(theme.grid));
}

void TfRelevancePlot::mouseMoveEvent(QMouseEvent* event) {
    PlotWidget::mouseMoveEvent(event);
    const QPointF p = event->position();
    QString text;
    if (mapRect_->rect().contains(p.toPoint()) && relevance_.frames > 0)
        text = readoutAt(mapRect_->axis(QCPAxis::atBottom)->pixelToCoord(p.x()), mapRect_->axis(QCPAxis::atLeft)->pixelToCoord(p.y()));
    readout_->setText(text);
    readout_->setVisible(!text.isEmpty());
    emit readoutChanged(text);
    replot(QCustomPlot::rpQueuedReplot);
}

void TfRelevancePlot::leaveEvent(QEvent* event) {
    PlotWidget::leaveEvent(event);
    readout_->setVisible(false);
    emit readoutChanged(QString());
    replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace s4scope::views
