#include "views/comparison_plot.h"

#include <algorithm>
#include <cmath>

#include "views/time_range.h"
#include "views/waveform_layer.h"

namespace s4scope::views {

ComparisonPlot::ComparisonPlot(QWidget* parent) : PlotWidget(parent) {
    crosshair_ = std::make_unique<TimeMarker>(this, QPen(QColor(0x30, 0x30, 0x30, 170), 1, Qt::DashLine));
    playhead_ = std::make_unique<TimeMarker>(this, QPen(PlotTheme::light().playhead, 2));
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    setMouseTracking(true);
    setMinimumSize(400, 300);
    rebuild();
}

ComparisonPlot::~ComparisonPlot() = default;

void ComparisonPlot::setClip(const std::vector<float>& samples, int sampleRate) {
    samples_ = samples;
    sampleRate_ = std::max(1, sampleRate);
    maps_.clear();
    range_ = QCPRange(0, std::max(duration(), 1e-3));
    rebuild();
}

void ComparisonPlot::setMaps(const std::vector<RelevanceMap>& maps) {
    maps_ = maps;
    rebuild();
}

void ComparisonPlot::setSharedScale(bool shared) {
    sharedScale_ = shared;
    if (scale_)
        scale_->axis()->setLabel(shared ? tr("relevance / max |R| of all methods") : tr("relevance / max |R| per method"));
    updateColours();
    replot(rpQueuedReplot);
}

void ComparisonPlot::setTitle(const QString& title) {
    titleText_ = title;
    if (title_) title_->setText(title);
    replot(rpQueuedReplot);
}

const std::vector<float>& ComparisonPlot::relevance(int index) const { return layers_.at(size_t(index))->relevance(); }
QString ComparisonPlot::mapName(int index) const { return maps_.at(size_t(index)).name; }
double ComparisonPlot::appliedScale(int index) const { return layers_.at(size_t(index))->appliedScale(); }
double ComparisonPlot::duration() const { return double(samples_.size()) / sampleRate_; }

void ComparisonPlot::rebuild() {
    clearItems();
    clearPlottables();
    plotLayout()->clear();
    layers_.clear();
    labels_.clear();
    scale_ = nullptr;

    title_ = new QCPTextElement(this, titleText_, QFont(font().family(), font().pointSize() + 1, QFont::Bold));
    plotLayout()->addElement(0, 0, title_);
    auto* grid = new QCPLayoutGrid;
    plotLayout()->addElement(1, 0, grid);
    plotLayout()->setRowStretchFactors({0.01, 1.0});
    grid->setRowSpacing(4);
    grid->setColumnSpacing(12);

    const int n = std::max(1, int(maps_.size()));
    columns_ = n > 6 ? 2 : 1;  // one column keeps the shared time axis readable
    const int rows = (n + columns_ - 1) / columns_;
    auto* margins = new QCPMarginGroup(this);
    QList<QCPAxisRect*> rects;
    for (int i = 0; i < n; ++i) {
        const int row = columns_ == 1 ? i : i % rows, column = columns_ == 1 ? 0 : i / rows;
        auto* rect = new QCPAxisRect(this);
        grid->addElement(row, column, rect);
        rect->setRangeDrag(Qt::Horizontal);
        rect->setRangeZoom(Qt::Horizontal);
        rect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
        const bool bottom = row == rows - 1 || i == n - 1;
        QCPAxis* x = rect->axis(QCPAxis::atBottom);
        x->setTickLabels(bottom);
        if (!bottom) {
            rect->setAutoMargins(QCP::msLeft | QCP::msRight | QCP::msTop);
            rect->setMargins(QMargins(0, 0, 0, 2));
        }
        auto* layer = new WaveformLayer(rect);
        if (!bottom) x->setLabel(QString());
        rect->axis(QCPAxis::atLeft)->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
        rect->axis(QCPAxis::atLeft)->ticker()->setTickCount(3);
        layer->setClip(samples_, sampleRate_);
        if (i < int(maps_.size())) layer->setRelevance(maps_[size_t(i)].relevance);
        x->setRange(range_);
        connect(x, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, &ComparisonPlot::onAxisRangeChanged);
        layers_.push_back(layer);
        rects.append(rect);

        auto* label = new QCPItemText(this);
        label->setClipAxisRect(rect);
        label->position->setAxisRect(rect);
        label->position->setType(QCPItemPosition::ptAxisRectRatio);
        label->position->setCoords(0, 0);
        label->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
        label->setPadding(QMargins(5, 2, 5, 2));
        label->setBrush(QColor(255, 255, 255, 215));
        label->setColor(Qt::black);
        label->setLayer(QStringLiteral("overlay"));
        label->setText(i < int(maps_.size()) ? maps_[size_t(i)].name : tr("choose methods to compare (F6)"));
        labels_.push_back(label);
    }
    scale_ = new QCPColorScale(this);
    plotLayout()->addElement(1, 1, scale_);
    plotLayout()->setColumnStretchFactor(1, 0.01);
    scale_->setBarWidth(12);
    scale_->setGradient(layers_.front()->colourMap()->gradient());
    scale_->setDataRange(QCPRange(-1, 1));
    scale_->setVisible(!maps_.empty());
    crosshair_->attach(rects);
    playhead_->attach(rects);
    setSharedScale(sharedScale_);
    refreshTheme();
}

void ComparisonPlot::setTimeRange(const QCPRange& range) {
    if (!layers_.empty()) layers_.front()->rect()->axis(QCPAxis::atBottom)->setRange(range);
}

void ComparisonPlot::resetZoom() { setTimeRange(QCPRange(0, duration() > 0 ? duration() : 1.0)); }

void ComparisonPlot::setPlayhead(double seconds) {
    playhead_->setVisible(seconds >= 0);
    if (seconds >= 0) playhead_->setTime(seconds);
    replot(rpQueuedReplot);
}

void ComparisonPlot::onAxisRangeChanged(const QCPRange& range) {
    if (syncing_) return;
    range_ = duration() > 0 ? clampTimeRange(range, duration(), 64.0 / sampleRate_) : range;
    syncing_ = true;
    for (WaveformLayer* layer : layers_) layer->rect()->axis(QCPAxis::atBottom)->setRange(range_);
    syncing_ = false;
    updateColours();
    emit timeRangeChanged(range_);
    replot(rpQueuedReplot);
}

void ComparisonPlot::updateColours() {
    double shared = 0;
    for (WaveformLayer* layer : layers_) shared = std::max(shared, layer->pool());
    for (size_t i = 0; i < layers_.size(); ++i) {
        WaveformLayer* layer = layers_[i];
        const double scale = sharedScale_ ? shared : layer->pooledMaxAbs();
        layer->applyScale(scale);
        if (i < maps_.size()) {
            QString text = maps_[i].name;
            if (!maps_[i].detail.isEmpty()) text += QStringLiteral("  ·  ") + maps_[i].detail;
            text += QStringLiteral("  ·  max |R| %1").arg(layer->pooledMaxAbs(), 0, 'g', 3);
            labels_[i]->setText(text);
        }
    }
}

void ComparisonPlot::applyPlotTheme(const PlotTheme& theme) {
    PlotWidget::applyPlotTheme(theme);
    for (WaveformLayer* layer : layers_) layer->setWaveformColour(theme.waveform);
    playhead_->setPen(QPen(theme.playhead, 2));
}

void ComparisonPlot::mouseMoveEvent(QMouseEvent* event) {
    PlotWidget::mouseMoveEvent(event);
    QString text;
    QCPAxisRect* rect = axisRectAt(event->position());
    for (size_t i = 0; rect && i < layers_.size() && i < maps_.size(); ++i) {
        if (layers_[i]->rect() != rect) continue;
        const double t = rect->axis(QCPAxis::atBottom)->pixelToCoord(event->position().x());
        if (t < 0 || t > duration()) break;
        text = QStringLiteral("%1   t %2 s   amplitude %3   R %4")
                   .arg(maps_[i].name)
                   .arg(t, 0, 'f', 4)
                   .arg(layers_[i]->amplitudeAt(t), 0, 'g', 3)
                   .arg(layers_[i]->relevanceAt(t), 0, 'g', 3);
        crosshair_->setTime(t);
    }
    crosshair_->setVisible(!text.isEmpty());
    emit readoutChanged(text);
    replot(rpQueuedReplot);
}

void ComparisonPlot::mouseDoubleClickEvent(QMouseEvent* event) {
    PlotWidget::mouseDoubleClickEvent(event);
    resetZoom();
}

void ComparisonPlot::leaveEvent(QEvent* event) {
    PlotWidget::leaveEvent(event);
    crosshair_->setVisible(false);
    emit readoutChanged(QString());
    replot(rpQueuedReplot);
}

}  // namespace s4scope::views
