#include "views/waveform_layer.h"

#include <algorithm>
#include <cmath>

#include "views/colour_maps.h"
#include "views/relevance_pooling.h"

namespace s4scope::views {

WaveformLayer::WaveformLayer(QCPAxisRect* rect) : QObject(rect), rect_(rect) {
    QCustomPlot* plot = rect->parentPlot();
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
    graph_ = plot->addGraph(x, y);
    graph_->setAdaptiveSampling(true);
    graph_->setSelectable(QCP::stNone);
    graph_->setPen(QPen(QColor(0x1a, 0x1a, 0x1a), 1.0));
    rect->setBackground(Qt::white);  // white is zero relevance: the band reads as paper without it
    x->setLabel(QStringLiteral("time (s)"));
    y->setLabel(QStringLiteral("amplitude"));
}

void WaveformLayer::setClip(const std::vector<float>& samples, int sampleRate) {
    samples_ = samples;
    sampleRate_ = std::max(1, sampleRate);
    relevance_.clear();
    QVector<double> keys(int(samples.size())), values(int(samples.size()));
    for (size_t i = 0; i < samples.size(); ++i) {
        keys[int(i)] = double(i) / sampleRate_;
        values[int(i)] = samples[i];
    }
    graph_->setData(keys, values, true);
    const double peak = std::max(0.01, maxAbs(samples_));
    rect_->axis(QCPAxis::atLeft)->setRange(-1.1 * peak, 1.1 * peak);
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

double WaveformLayer::duration() const { return double(samples_.size()) / sampleRate_; }

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
    return i >= 0 && i < long(samples_.size()) ? samples_[size_t(i)] : 0.f;
}

float WaveformLayer::relevanceAt(double seconds) const {
    const long i = sampleIndex(seconds);
    return i >= 0 && i < long(relevance_.size()) ? relevance_[size_t(i)] : 0.f;
}

void WaveformLayer::setWaveformColour(const QColor& colour) { graph_->setPen(QPen(colour, 1.0)); }

}  // namespace s4scope::views
