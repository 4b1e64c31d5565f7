#include "views/comparison_plot.h"

#include <algorithm>
#include <cmath>

#include "views/colour_maps.h"
#include "views/waveform_layer.h"

namespace s4scope::views {

namespace {

QString headerOf(const RelevanceMap& map) {
    const QString dot = QStringLiteral("  ·  ");
    QString text = map.name;
    if (!map.detail.isEmpty()) text += dot + map.detail;
    if (std::isfinite(map.maxAbs)) text += dot + QStringLiteral("max |R| %1").arg(map.maxAbs, 0, 'g', 3);
    if (std::isfinite(map.sum)) text += dot + QStringLiteral("ΣR %1").arg(map.sum, 0, 'g', 3);
    if (!map.conservation.isEmpty()) text += QStringLiteral(" ") + map.conservation;
    return text;
}

}  // namespace

ComparisonPlot::ComparisonPlot(QWidget* parent) : TimeLinkedPlot(parent) {
    scale_ = new QCPColorScale(this);
    plotLayout()->addElement(1, 1, scale_);
    plotLayout()->setColumnStretchFactor(1, 0.01);
    scale_->setBarWidth(12);
    scale_->setGradient(relevanceGradient());
    scale_->setDataRange(QCPRange(-1, 1));
    setMinimumSize(400, 300);
    rebuild();
}

ComparisonPlot::~ComparisonPlot() = default;

void ComparisonPlot::setClip(const std::vector<float>& samples, int sampleRate) {
    clip_.samples = samples;
    clip_.sampleRate = std::max(1, sampleRate);
    maps_.clear();
    setTimeExtent(clip_.duration(), clip_.sampleRate);
    rebuild();
    showWholeClip();
}

void ComparisonPlot::setMaps(const std::vector<RelevanceMap>& maps) {
    maps_ = maps;
    rebuild();
}

void ComparisonPlot::setSharedScale(bool shared) {
    sharedScale_ = shared;
    scale_->axis()->setLabel(shared ? tr("R per pixel column / largest in view (all methods)") : tr("R per pixel column / largest in view (per method)"));
    timeRangeApplied(timeRange());
    requestReplot();
}

const std::vector<float>& ComparisonPlot::relevance(int index) const { return layers_.at(size_t(index))->relevance(); }
QString ComparisonPlot::mapName(int index) const { return maps_.at(size_t(index)).name; }
double ComparisonPlot::appliedScale(int index) const { return layers_.at(size_t(index))->appliedScale(); }

void ComparisonPlot::rebuild() {
    for (QCPItemText* label : labels_) removeItem(label);
    labels_.clear();
    layers_.clear();
    clearRows();
    if (grid_) plotLayout()->remove(grid_);  // deletes the rows' rects
    grid_ = new QCPLayoutGrid;
    plotLayout()->addElement(1, 0, grid_);
    plotLayout()->setRowStretchFactors({0.01, 1.0});
    grid_->setRowSpacing(4);
    grid_->setColumnSpacing(12);

    const int n = std::max(1, int(maps_.size()));
    columns_ = n > 6 ? 2 : 1;  // one column keeps the shared time axis readable
    const int rows = (n + columns_ - 1) / columns_;
    auto* margins = new QCPMarginGroup(this);
    for (int i = 0; i < n; ++i) {
        const int row = columns_ == 1 ? i : i % rows, column = columns_ == 1 ? 0 : i / rows;
        auto* layer = static_cast<WaveformLayer*>(addRowAt(std::make_unique<WaveformLayer>(false), grid_, row, column));
        QCPAxisRect* rect = layer->rect();
        rect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
        const bool bottom = row == rows - 1 || i == n - 1;
        QCPAxis* x = rect->axis(QCPAxis::atBottom);
        x->setTickLabels(bottom);
        if (!bottom) {
            rect->setAutoMargins(QCP::msLeft | QCP::msRight | QCP::msTop);
            rect->setMargins(QMargins(0, 0, 0, 2));
            x->setLabel(QString());
        }
        // Short rows: one "amplitude" per column (on its middle row); a label on each ran into the next.
        if (rows > 3) rect->axis(QCPAxis::atLeft)->setLabel(row == rows / 2 ? tr("amplitude") : QString());
        rect->axis(QCPAxis::atLeft)->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
        rect->axis(QCPAxis::atLeft)->ticker()->setTickCount(3);
        layer->setClip(clip_.samples, clip_.sampleRate);
        if (i < int(maps_.size())) layer->setRelevance(maps_[size_t(i)].relevance);
        layers_.push_back(layer);

        auto* label = new QCPItemText(this);
        label->setClipAxisRect(rect);
        label->position->setAxisRect(rect);
        label->position->setType(QCPItemPosition::ptAxisRectRatio);
        label->position->setCoords(0, 0);
        label->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
        label->setPadding(QMargins(5, 2, 5, 2));
        QColor labelBack = theme().panel;
        labelBack.setAlpha(215);
        label->setBrush(labelBack);
        label->setColor(theme().text);
        label->setLayer(QStringLiteral("overlay"));
        if (rows > 6) {  // eleven rows a column: a smaller header leaves the waveform visible
            QFont small = font();
            small.setPointSizeF(small.pointSizeF() * 0.82);
            label->setFont(small);
            label->setPadding(QMargins(4, 1, 4, 1));
        }
        label->setSelectable(false);
        label->setText(i < int(maps_.size()) ? headerOf(maps_[size_t(i)]) : tr("choose methods to compare (F6)"));
        labels_.push_back(label);
    }
    scale_->setVisible(!maps_.empty());
    setSharedScale(sharedScale_);
    refreshRows();
    refreshTheme();
}

void ComparisonPlot::timeRangeApplied(const QCPRange&) {
    double shared = 0;
    for (WaveformLayer* layer : layers_) shared = std::max(shared, layer->pooledMaxAbs());
    for (size_t i = 0; i < layers_.size(); ++i) {
        WaveformLayer* layer = layers_[i];
        layer->applyScale(sharedScale_ ? shared : layer->pooledMaxAbs());
    }
}

void ComparisonPlot::applyPlotTheme(const PlotTheme& theme) {
    TimeLinkedPlot::applyPlotTheme(theme);
    scale_->setGradient(relevanceGradient(theme.relevanceZero));
    QColor back = theme.panel;
    back.setAlpha(215);
    for (QCPItemText* label : labels_) {
        label->setBrush(back);
        label->setColor(theme.text);
    }
}

QString ComparisonPlot::rowHeader(int index) const {
    if (index < 0 || index >= int(labels_.size())) return QString();
    return labels_[size_t(index)]->text();
}



QString ComparisonPlot::readoutAt(int row, double seconds, double value) const {
    if (row >= int(maps_.size())) return QString();  // the empty grid's placeholder row
    return maps_[size_t(row)].name + QStringLiteral("   ") + TimeLinkedPlot::readoutAt(row, seconds, value);
}

}  // namespace s4scope::views
