#include "views/tf_relevance_plot.h"

#include <algorithm>
#include <cmath>

#include "signal/tf_comparison.h"
#include "views/colour_maps.h"
#include "views/tf_overlay.h"

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

}  // namespace

TfRelevancePlot::TfRelevancePlot(QWidget* parent) : PlotWidget(parent) {
    plotLayout()->clear();
    title_ = new QCPTextElement(this, QString(), QFont(font().family(), font().pointSize() + 1, QFont::Bold));
    auto* body = new QCPLayoutGrid;
    plotLayout()->addElement(0, 0, title_);
    plotLayout()->addElement(1, 0, body);
    plotLayout()->setRowStretchFactors({0.01, 1.0});
    mapRect_ = new QCPAxisRect(this);
    profileRect_ = new QCPAxisRect(this);
    scaleBar_ = new QCPColorScale(this);
    body->addElement(0, 0, mapRect_);
    body->addElement(0, 1, profileRect_);
    body->addElement(0, 2, scaleBar_);
    body->setColumnStretchFactors({5.0, 1.2, 0.1});
    auto* rows = new QCPMarginGroup(this);
    mapRect_->setMarginGroup(QCP::msTop | QCP::msBottom, rows);
    profileRect_->setMarginGroup(QCP::msTop | QCP::msBottom, rows);
    scaleBar_->setMarginGroup(QCP::msTop | QCP::msBottom, rows);

    QCPAxis* time = mapRect_->axis(QCPAxis::atBottom);
    QCPAxis* hz = mapRect_->axis(QCPAxis::atLeft);
    time->setLabel(tr("time (s)"));
    hz->setLabel(tr("frequency (Hz)"));
    hz->setRange(0, 8000);
    // The spectrogram first, the overlay over it: the overlay's zero is transparent.
    spectrogramMap_ = new QCPColorMap(time, hz);
    spectrogramMap_->setData(new Cells, false);
    spectrogramMap_->setInterpolate(false);
    spectrogramMap_->setSelectable(QCP::stNone);
    overlay_ = std::make_unique<TfOverlay>(time, hz);
    overlay_->setColourScale(scaleBar_);
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
    setMinimumSize(480, 260);
    refreshTheme();
}

TfRelevancePlot::~TfRelevancePlot() = default;

void TfRelevancePlot::setTitle(const QString& title) {
    title_->setText(title);
    replot(QCustomPlot::rpQueuedReplot);
}

QString TfRelevancePlot::title() const { return title_->text(); }

double TfRelevancePlot::robustScale(const signal::TfRelevance& relevance) { return signal::robustScale(relevance); }

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
        // 80 dB under the loudest cell, as SpectrogramLayer: silence (every cell at the floor) stays quiet.
        const double top = std::max(std::ceil(spectrogram_.maxDb() / 10.0) * 10.0, double(spectrogram_.floorDb) + 80.0);
        spectrogramMap_->setDataRange(QCPRange(top - 80, top));
    } else {
        grey->clear();
    }

    overlay_->setRelevance(relevance_);
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
    overlay_->setScale(shownScale_);
    replot(QCustomPlot::rpQueuedReplot);
}

void TfRelevancePlot::setOverlayShown(bool shown) {
    overlay_->setVisible(shown);
    scaleBar_->setVisible(shown);
    replot(QCustomPlot::rpQueuedReplot);
}

bool TfRelevancePlot::overlayShown() const { return overlay_->isVisible(); }

double TfRelevancePlot::overlayOpacity() const { return overlay_->opacity(); }

void TfRelevancePlot::setOverlayOpacity(double opacity) {
    overlay_->setOpacity(opacity);
    replot(QCustomPlot::rpQueuedReplot);
}

double TfRelevancePlot::overlayCell(int frame, int bin) const { return overlay_->cell(frame, bin); }

double TfRelevancePlot::spectrogramCell(int frame, int bin) const {
    if (frame < 0 || bin < 0 || frame >= spectrogram_.frames || bin >= spectrogram_.bins) return std::nan("");
    return static_cast<const Cells*>(spectrogramMap_->data())->cell(frame, bin);
}

QString TfRelevancePlot::readoutAt(double seconds, double hz) const {
    QString text = QStringLiteral("t %1 s   f %2 Hz").arg(seconds, 0, 'f', 3).arg(hz, 0, 'f', 0);
    const signal::Spectrogram& s = spectrogram_;
    if (s.frames > 0) {
        const int frame = int(std::lround(seconds * s.sampleRate / s.hopSamples));
        const int bin = int(std::lround(hz / s.binHz));
        if (frame >= 0 && frame < s.frames && bin >= 0 && bin < s.bins) text += QStringLiteral("   %1 dB").arg(s.at(frame, bin), 0, 'f', 1);
    }
    const double r = overlay_->valueAt(seconds, hz);
    if (std::isfinite(r)) text += QStringLiteral("   R[f,t] %1").arg(r, 0, 'g', 3);
    return text;
}

void TfRelevancePlot::applyPlotTheme(const PlotTheme& theme) {
    PlotWidget::applyPlotTheme(theme);
    spectrogramMap_->setGradient(spectrogramUnderOverlay(theme));
    overlay_->applyPlotTheme(theme);
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
