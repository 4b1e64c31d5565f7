#include "views/waveform_layer.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "views/colour_maps.h"
#include "signal/relevance_pooling.h"

namespace s4scope::views {

using signal::maxAbs;
using signal::poolRelevance;

// The waveform as a plottable of its own (see the header): the samples, drawn per pixel column.
class WaveformTrace : public QCPAbstractPlottable {
public:
    WaveformTrace(QCPAxis* keyAxis, QCPAxis* valueAxis) : QCPAbstractPlottable(keyAxis, valueAxis) {}

    void setSamples(const std::vector<float>& samples, int sampleRate) {
        samples_ = samples;  // reuses the vector's storage from clip to clip
        rate_ = sampleRate;
    }
    const std::vector<float>& samples() const { return samples_; }

    double selectTest(const QPointF&, bool, QVariant*) const override { return -1; }
    QCPRange getKeyRange(bool& foundRange, QCP::SignDomain) const override {
        foundRange = !samples_.empty();
        return QCPRange(0, foundRange ? double(samples_.size() - 1) / rate_ : 0.0);
    }
    QCPRange getValueRange(bool& foundRange, QCP::SignDomain, const QCPRange&) const override {
        foundRange = !samples_.empty();
        if (!foundRange) return QCPRange();
        const auto [lo, hi] = std::minmax_element(samples_.begin(), samples_.end());
        return QCPRange(*lo, *hi);
    }

protected:
    void draw(QCPPainter* painter) override;
    void drawLegendIcon(QCPPainter* painter, const QRectF& rect) const override {
        painter->setPen(mPen);
        painter->drawLine(QLineF(rect.left(), rect.center().y(), rect.right(), rect.center().y()));
    }

private:
    void flush(QCPPainter* painter) {
        if (points_.size() > 1) painter->drawPolyline(points_.data(), int(points_.size()));
        points_.clear();
    }

    std::vector<float> samples_;
    int rate_ = 16000;
    std::vector<QPointF> points_;  // the polyline, its storage kept from draw to draw
};

// Where pixel columns hold two or more samples (on average over the view, as QCPGraph decides),
// each column contributes its minimum at a quarter and its maximum at three quarters of its width,
// the points QCPGraph's adaptive sampling strokes for dense data; otherwise every sample is a
// point. Non-finite samples break the line.
void WaveformTrace::draw(QCPPainter* painter) {
    QCPAxis* keyAxis = mKeyAxis.data();
    QCPAxis* valueAxis = mValueAxis.data();
    if (!keyAxis || !valueAxis || samples_.size() < 2) return;
    const long n = long(samples_.size());
    const QCPRange range = keyAxis->range();
    // The samples in view and one beyond each edge, so the line runs to the rect's border.
    const long first = std::clamp(long(std::floor(range.lower * rate_)) - 1, 0L, n - 1);
    const long last = std::clamp(long(std::ceil(range.upper * rate_)) + 1, 0L, n - 1);
    if (last <= first) return;
    // Both axes are linear: pixel = origin + index (or value) * slope.
    const double x0 = keyAxis->coordToPixel(double(first) / rate_);
    const double xSlope = (keyAxis->coordToPixel(double(last) / rate_) - x0) / double(last - first);
    const double y0 = valueAxis->coordToPixel(0.0);
    const double ySlope = valueAxis->coordToPixel(1.0) - y0;
    const long count = last - first + 1;

    applyDefaultAntialiasingHint(painter);
    QPen pen = mPen;
    // As QCPGraph: a 1 px line is drawn cosmetic on screen (same look, much faster in Qt 6).
    if (!painter->modes().testFlag(QCPPainter::pmVectorized) && qFuzzyCompare(pen.widthF(), 1.0)) pen.setWidth(0);
    painter->setPen(pen);
    painter->setBrush(Qt::NoBrush);
    points_.clear();
    points_.reserve(size_t(std::min<double>(double(count), 2.0 * std::abs(xSlope) * double(count) + 8.0)));
    const float* v = samples_.data();
    if (double(count) >= 2.0 * std::abs(xSlope * double(last - first)) + 2.0 && xSlope > 0) {
        long i = first;
        while (i <= last) {
            const double column = std::floor(x0 + double(i - first) * xSlope);
            float lo = std::numeric_limits<float>::infinity(), hi = -lo;
            bool broken = false;
            for (; i <= last && std::floor(x0 + double(i - first) * xSlope) == column; ++i) {
                if (!std::isfinite(v[i])) {
                    broken = true;
                    continue;
                }
                lo = std::min(lo, v[i]);
                hi = std::max(hi, v[i]);
            }
            if (lo > hi) {  // nothing finite in this column
                flush(painter);
                continue;
            }
            points_.emplace_back(column + 0.25, y0 + double(lo) * ySlope);
            points_.emplace_back(column + 0.75, y0 + double(hi) * ySlope);
            if (broken) flush(painter);
        }
    } else {
        for (long i = first; i <= last; ++i) {
            if (!std::isfinite(v[i])) {
                flush(painter);
                continue;
            }
            points_.emplace_back(x0 + double(i - first) * xSlope, y0 + double(v[i]) * ySlope);
        }
    }
    flush(painter);
}

WaveformLayer::~WaveformLayer() {
    if (!plot_) return;
    plot_->removePlottable(map_);
    plot_->removePlottable(trace_);
}

RowLayout WaveformLayer::layout() const {
    RowLayout layout;
    layout.colourScale = colourScale_;
    return layout;
}

void WaveformLayer::attach(QCPAxisRect* rect, QCPColorScale* scale) {
    rect_ = rect;
    plot_ = rect->parentPlot();
    colourBar_ = scale;
    QCPAxis* x = rect->axis(QCPAxis::atBottom);
    QCPAxis* y = rect->axis(QCPAxis::atLeft);
    // New axis rects sit on the "main" layer, where their white background would cover a map on
    // "background": move the rect there first so the band is drawn over it, under the grid.
    rect->setLayer(QStringLiteral("background"));
    map_ = new QCPColorMap(x, y);
    map_->setGradient(relevanceGradient());
    map_->setInterpolate(false);  // each column is a pooled sum: no smoothing across columns
    map_->setDataRange(QCPRange(-1, 1));
    map_->setLayer(QStringLiteral("background"));
    map_->setSelectable(QCP::stNone);
    trace_ = new WaveformTrace(x, y);  // on the plot's current layer, "main", as a graph would be
    trace_->setSelectable(QCP::stNone);
    trace_->setPen(QPen(QColor(0x1a, 0x1a, 0x1a), 1.0));
    rect->setBackground(Qt::white);  // white is zero relevance: the band reads as paper without it
    x->setLabel(QStringLiteral("time (s)"));
    y->setLabel(QStringLiteral("amplitude"));
    if (colourBar_) {
        map_->setColorScale(colourBar_);                 // the map adopts the scale's gradient:
        colourBar_->setGradient(relevanceGradient());    // so set it on the scale afterwards
        colourBar_->axis()->setLabel(QStringLiteral("relevance / max |R|"));
        colourBar_->setDataRange(QCPRange(-1, 1));
        colourBar_->setVisible(false);
    }
}

void WaveformLayer::setTimeRange(const QCPRange&) {
    applyScale(pool());
    if (colourBar_) colourBar_->setVisible(hasRelevance());
}

QString WaveformLayer::readout(double seconds, double) const {
    auto signedNumber = [](double v) { return (v >= 0 ? QStringLiteral("+") : QString()) + QString::number(v, 'g', 3); };
    QString text = QStringLiteral("amplitude %1").arg(signedNumber(amplitudeAt(seconds)));
    if (hasRelevance()) text += QStringLiteral("   R %1").arg(signedNumber(relevanceAt(seconds)));
    return text;
}

const std::vector<float>& WaveformLayer::samples() const { return trace_->samples(); }

void WaveformLayer::setClip(const std::vector<float>& samples, int sampleRate) {
    sampleRate_ = std::max(1, sampleRate);
    trace_->setSamples(samples, sampleRate_);
    relevance_.clear();
    peak_ = std::max(0.01, maxAbs(samples));
    resetValueZoom();
    map_->data()->clear();
}

void WaveformLayer::setRelevance(const std::vector<float>& relevance) {
    relevance_ = relevance;
    if (relevance_.empty()) {
        map_->data()->clear();
        pooled_.clear();
        pooledMaxAbs_ = 0;
    }
}

double WaveformLayer::duration() const { return double(samples().size()) / sampleRate_; }

double WaveformLayer::pool() {
    if (relevance_.empty()) return pooledMaxAbs_ = 0;
    const QCPRange range = rect_->axis(QCPAxis::atBottom)->range();
    // One bin per pixel column, but never finer than one sample.
    const double first = range.lower * sampleRate_, last = range.upper * sampleRate_;
    const int columns = rect_->width() > 16 ? rect_->width() : 1000;
    const int bins = std::max(2, std::min(columns, int(std::ceil(last - first))));
    pooled_ = poolRelevance(relevance_, first, last, bins);
    pooledMaxAbs_ = maxAbs(pooled_);
    const double half = 0.5 * range.size() / bins;
    map_->data()->setSize(bins, 1);
    map_->data()->setRange(QCPRange(range.lower + half, range.upper - half), QCPRange(-100, 100));
    return pooledMaxAbs_;
}

void WaveformLayer::applyScale(double scale) {
    scale_ = scale;
    if (relevance_.empty()) return;
    const double divisor = scale > 0 ? scale : 1.0;
    for (int i = 0; i < int(pooled_.size()); ++i) map_->data()->setCell(i, 0, pooled_[size_t(i)] / divisor);
}

long WaveformLayer::sampleIndex(double seconds) const { return long(std::floor(seconds * sampleRate_)); }

float WaveformLayer::amplitudeAt(double seconds) const {
    const long i = sampleIndex(seconds);
    const std::vector<float>& s = samples();
    return i >= 0 && i < long(s.size()) ? s[size_t(i)] : 0.f;
}

float WaveformLayer::relevanceAt(double seconds) const {
    const long i = sampleIndex(seconds);
    return i >= 0 && i < long(relevance_.size()) ? relevance_[size_t(i)] : 0.f;
}

void WaveformLayer::applyPlotTheme(const PlotTheme& theme) {
    setWaveformColour(theme.waveform);
    rect_->setBackground(theme.relevanceZero);
    map_->setGradient(relevanceGradient(theme.relevanceZero));
    if (colourBar_) colourBar_->setGradient(relevanceGradient(theme.relevanceZero));
}

bool WaveformLayer::zoomValue(double factor) {
    QCPAxis* y = rect_->axis(QCPAxis::atLeft);
    const double half = std::clamp(0.5 * y->range().size() * factor, 1.1e-3 * peak_, 1.1 * peak_);
    y->setRange(-half, half);
    return true;
}

void WaveformLayer::resetValueZoom() { rect_->axis(QCPAxis::atLeft)->setRange(-1.1 * peak_, 1.1 * peak_); }

void WaveformLayer::setWaveformColour(const QColor& colour) { trace_->setPen(QPen(colour, 1.0)); }

}  // namespace s4scope::views
