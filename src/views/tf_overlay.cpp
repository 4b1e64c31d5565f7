#include "views/tf_overlay.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "views/colour_maps.h"

namespace s4scope::views {
namespace {

// QCPColorMapData written as a whole (cells in one pass), as SpectrogramLayer does.
class OverlayCells : public QCPColorMapData {
public:
    OverlayCells() : QCPColorMapData(0, 0, QCPRange(0, 1), QCPRange(0, 1)) {}
    double* cells() {
        mDataModified = true;
        return mData;
    }
    double cell(int key, int value) const { return mData[size_t(value) * size_t(mKeySize) + size_t(key)]; }
};

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

QCPColorGradient spectrogramUnderOverlay(const PlotTheme& theme) {
    QCPColorGradient g;
    g.clearColorStops();
    g.setColorInterpolation(QCPColorGradient::ciRGB);
    const bool dark = theme.isDark();
    // Light: paper white to a dark grey; dark: the panel to a light grey. Never pure text colour, so
    // the loudest cells stay distinguishable from strong relevance drawn over them.
    const QColor quiet = dark ? theme.panel : QColor(252, 252, 252);
    const QColor loud = dark ? QColor(205, 205, 205) : QColor(55, 55, 55);
    g.setColorStopAt(0, quiet);
    g.setColorStopAt(1, loud);
    g.setLevelCount(256);
    return g;
}

TfOverlay::TfOverlay(QCPAxis* time, QCPAxis* hz) : plot_(time->parentPlot()) {
    map_ = new QCPColorMap(time, hz);
    map_->setData(new OverlayCells, false);  // the map owns it
    map_->setInterpolate(false);             // one honest cell per STFT coefficient
    map_->setSelectable(QCP::stNone);
    map_->setName(QStringLiteral("R[f,t]"));
    updateGradient();
}

TfOverlay::~TfOverlay() {
    if (plot_ && plot_->hasPlottable(map_)) plot_->removePlottable(map_);
}

void TfOverlay::setRelevance(const signal::TfRelevance& relevance) {
    relevance_ = relevance;
    auto* data = static_cast<OverlayCells*>(map_->data());
    if (relevance_.frames < 2 || relevance_.bins < 2) {
        data->clear();
        return;
    }
    data->setSize(relevance_.frames, relevance_.bins);  // reallocates only when the size changes
    data->setRange(QCPRange(relevance_.frameTime(0), relevance_.frameTime(relevance_.frames - 1)),
                   QCPRange(0, relevance_.binFrequency(relevance_.bins - 1)));
    double* out = data->cells();  // bin-major; R[f,t] is frame-major
    for (int t = 0; t < relevance_.frames; ++t)
        for (int f = 0; f < relevance_.bins; ++f) out[size_t(f) * size_t(relevance_.frames) + size_t(t)] = relevance_.at(t, f);
}

void TfOverlay::clear() { setRelevance({}); }

void TfOverlay::setScale(double scale) {
    scale_ = scale > 0 && std::isfinite(scale) ? scale : 1;
    map_->setDataRange(QCPRange(-scale_, scale_));
    if (bar_) bar_->setDataRange(QCPRange(-scale_, scale_));
}

void TfOverlay::setOpacity(double opacity) {
    opacity_ = std::clamp(opacity, 0.0, 1.0);
    updateGradient();
}

void TfOverlay::setVisible(bool visible) { map_->setVisible(visible); }
bool TfOverlay::isVisible() const { return map_->visible(); }

void TfOverlay::applyPlotTheme(const PlotTheme& theme) {
    zero_ = theme.relevanceZero;
    updateGradient();
}

void TfOverlay::setColourScale(QCPColorScale* scale) {
    bar_ = scale;
    if (bar_) {
        bar_->setDataRange(QCPRange(-scale_, scale_));
        updateGradient();
    }
}

// The relevance map with alpha rising from 0 at R = 0 (the spectrogram shows through) to the chosen
// opacity at ±scale/1.5 and beyond, so the grey of the clip stays readable under weak relevance.
void TfOverlay::updateGradient() {
    QCPColorGradient base = relevanceGradient(zero_);
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
    g.setLevelCount(1025);  // odd: the middle level is exactly R = 0, fully transparent
    map_->setGradient(g);
    map_->setDataRange(QCPRange(-scale_, scale_));
    if (bar_) bar_->setGradient(base);  // the bar shows the colours themselves
}

double TfOverlay::cell(int frame, int bin) const {
    if (frame < 0 || bin < 0 || frame >= relevance_.frames || bin >= relevance_.bins) return kNaN;
    return static_cast<const OverlayCells*>(map_->data())->cell(frame, bin);
}

double TfOverlay::valueAt(double seconds, double hz) const {
    const signal::TfRelevance& r = relevance_;
    if (r.frames == 0 || r.hopSamples <= 0 || r.sampleRate <= 0) return kNaN;
    const int frame = int(std::lround((seconds * r.sampleRate - double(r.firstStart) - 0.5 * r.windowSamples) / r.hopSamples));
    const int bin = int(std::lround(hz * r.fftSize / r.sampleRate));
    if (frame < 0 || frame >= r.frames || bin < 0 || bin >= r.bins) return kNaN;
    return r.at(frame, bin);
}

QColor TfOverlay::colourOf(double value) const {
    QCPColorGradient gradient = map_->gradient();  // color() fills the gradient's colour buffer
    return QColor::fromRgba(gradient.color(value, map_->dataRange()));
}

}  // namespace s4scope::views
