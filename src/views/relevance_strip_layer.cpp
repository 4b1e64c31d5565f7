#include "views/relevance_strip_layer.h"

#include <cmath>

#include "views/colour_maps.h"
#include "views/relevance_pooling.h"

namespace s4scope::views {

RelevanceStripLayer::RelevanceStripLayer(QCPAxisRect* rect) : QObject(rect), rect_(rect) {
    QCPAxis* y = rect->axis(QCPAxis::atLeft);
    map_ = new QCPColorMap(rect->axis(QCPAxis::atBottom), y);
    map_->setGradient(relevanceGradient());
    map_->setInterpolate(false);
    map_->setDataRange(QCPRange(-1, 1));
    map_->setSelectable(QCP::stNone);
    rect->setBackground(Qt::white);
    rect->axis(QCPAxis::atBottom)->setLabel(QStringLiteral("time (s)"));
    y->setRange(0, 1);
    y->setTicks(false);
    y->setTickLabels(false);
    y->grid()->setVisible(false);
    y->setLabel(QStringLiteral("R"));
}

void RelevanceStripLayer::setRelevance(const std::vector<float>& relevance, int sampleRate, int hopSamples, int frames) {
    if (relevance.empty() || frames < 2 || hopSamples <= 0) return clear();
    hopSeconds_ = double(hopSamples) / sampleRate;
    perFrame_ = poolPerFrame(relevance, hopSamples, frames);
    maxAbs_ = views::maxAbs(perFrame_);
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
