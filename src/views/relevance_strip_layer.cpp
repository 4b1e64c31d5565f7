#include "views/relevance_strip_layer.h"

#include <cmath>

#include "signal/relevance_pooling.h"
#include "views/colour_maps.h"

namespace s4scope::views {

RelevanceStripLayer::~RelevanceStripLayer() {
    if (plot_) plot_->removePlottable(map_);
}

RowLayout RelevanceStripLayer::layout() const {
    RowLayout layout;
    layout.stretch = 0.01;
    layout.minimumHeight = 28;
    layout.maximumHeight = 30;
    layout.joinsRowAbove = true;
    return layout;
}

void RelevanceStripLayer::attach(QCPAxisRect* rect, QCPColorScale*) {
    plot_ = rect->parentPlot();
    QCPAxis* y = rect->axis(QCPAxis::atLeft);
    map_ = new QCPColorMap(rect->axis(QCPAxis::atBottom), y);
    map_->setGradient(relevanceGradient());
    map_->setInterpolate(false);
    map_->setDataRange(QCPRange(-1, 1));
    map_->setSelectable(QCP::stNone);
    rect->setBackground(Qt::white);
    rect_ = rect;
    rect->axis(QCPAxis::atBottom)->setLabel(QStringLiteral("time (s)"));
    y->setRange(0, 1);
    y->setTicks(false);
    y->setTickLabels(false);
    y->grid()->setVisible(false);
    y->setLabel(QStringLiteral("R"));
}

void RelevanceStripLayer::setClip(const ClipData&) { clear(); }

void RelevanceStripLayer::applyPlotTheme(const PlotTheme& theme) {
    rect_->setBackground(theme.relevanceZero);
    map_->setGradient(relevanceGradient(theme.relevanceZero));
}

void RelevanceStripLayer::setRelevance(const ClipData& clip) {
    setRelevance(clip.relevance, clip.sampleRate, clip.spectrogram.hopSamples, clip.spectrogram.frames);
}

QString RelevanceStripLayer::readout(double seconds, double) const {
    if (perFrame_.empty()) return {};
    const double r = frameRelevanceAt(seconds);
    return QStringLiteral("R/frame %1").arg((r >= 0 ? QStringLiteral("+") : QString()) + QString::number(r, 'g', 3));
}

void RelevanceStripLayer::setRelevance(const std::vector<float>& relevance, int sampleRate, int hopSamples, int frames) {
    if (relevance.empty() || frames < 2 || hopSamples <= 0 || sampleRate <= 0) return clear();
    hopSeconds_ = double(hopSamples) / sampleRate;
    perFrame_ = signal::poolPerFrame(relevance, hopSamples, frames);
    maxAbs_ = signal::maxAbs(perFrame_);
    const double divisor = maxAbs_ > 0 ? maxAbs_ : 1.0;
    map_->data()->setSize(frames, 1);
    map_->data()->setRange(QCPRange(0, (frames - 1) * hopSeconds_), QCPRange(-10, 10));
    for (int f = 0; f < frames; ++f) map_->data()->setCell(f, 0, perFrame_[size_t(f)] / divisor);
}

void RelevanceStripLayer::clear() {
    perFrame_.clear();
    maxAbs_ = 0;
    map_->data()->clear();
}

double RelevanceStripLayer::frameRelevanceAt(double seconds) const {
    const long f = std::lround(seconds / hopSeconds_);
    return f >= 0 && f < long(perFrame_.size()) ? perFrame_[size_t(f)] : 0.0;
}

}  // namespace s4scope::views
