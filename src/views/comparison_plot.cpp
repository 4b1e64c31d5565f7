#include "views/comparison_plot.h"

#include <algorithm>
#include <cmath>

#include "views/colour_maps.h"
#include "views/spectrogram_layer.h"
#include "views/tf_overlay.h"
#include "views/waveform_layer.h"

namespace s4scope::views {

namespace {

// The row's header from the fullest to the most compact: a narrow row (two columns of eleven
// methods) shows the first that fits its width instead of a clipped sentence.
QStringList headerVariants(const RelevanceMap& map) {
    const QString dot = QStringLiteral("  ·  ");
    const QString name = map.name;
    const QString detail = map.detail.isEmpty() ? QString() : dot + map.detail;
    const QString maxAbs = std::isfinite(map.maxAbs) ? dot + QStringLiteral("max |R| %1").arg(map.maxAbs, 0, 'g', 3) : QString();
    const QString sum = std::isfinite(map.sum) ? dot + QStringLiteral("ΣR %1").arg(map.sum, 0, 'g', 3) : QString();
    const QString conservation = map.conservation.isEmpty() ? QString() : QStringLiteral(" ") + map.conservation;
    QStringList variants{name + detail + maxAbs + sum + conservation, name + maxAbs + sum + conservation, name + maxAbs + sum,
                         name + maxAbs, name};
    variants.removeDuplicates();
    return variants;
}

// The TF row's header: what it shows and how much of the method's relevance the map holds.
QString tfHeaderOf(const RelevanceMap& map, double scale) {
    const QString dot = QStringLiteral("  ·  ");
    QString text = map.name + dot + QStringLiteral("R[f,t] over the spectrogram");
    const double share = map.tf ? map.tf->conservationShare() : std::nan("");
    if (std::isfinite(share)) text += dot + QStringLiteral("ΣR[f,t] / ΣR[n] %1 %").arg(100 * share, 0, 'f', 1);
    text += dot + QStringLiteral("colours ±%1").arg(scale, 0, 'g', 3);
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
    connect(this, &QCustomPlot::afterLayout, this, &ComparisonPlot::fitHeaders);
    rebuild();
}

// After each layout, when the rows' widths are known: each header the fullest text that fits.
void ComparisonPlot::fitHeaders() {
    for (size_t i = 0; i < labels_.size() && i < headers_.size(); ++i) {
        QCPItemText* label = labels_[i];
        const QCPAxisRect* rect = label->clipAxisRect();
        if (!rect || rect->width() <= 0) continue;
        const QFontMetrics metrics(label->font());
        const int room = rect->width() - label->padding().left() - label->padding().right();
        QString shown = headers_[i].back();
        for (const QString& text : headers_[i])
            if (metrics.horizontalAdvance(text) <= room) {
                shown = text;
                break;
            }
        if (label->text() != shown) label->setText(shown);
    }
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

void ComparisonPlot::setSpectrogram(const signal::Spectrogram& spectrogram) {
    spectrogram_ = spectrogram;
    for (SpectrogramLayer* row : tfRows_)
        if (row) row->setSpectrogram(spectrogram_);
    requestReplot();
}

void ComparisonPlot::setTimeFrequencyShown(bool shown) {
    if (shown == tfShown_) return;
    tfShown_ = shown;
    rebuild();
}

void ComparisonPlot::setSharedScale(bool shared) {
    sharedScale_ = shared;
    scale_->axis()->setLabel(shared ? tr("R per pixel column / largest in view (all methods)") : tr("R per pixel column / largest in view (per method)"));
    timeRangeApplied(timeRange());
    applyTfScales();
    requestReplot();
}

const std::vector<float>& ComparisonPlot::relevance(int index) const { return layers_.at(size_t(index))->relevance(); }
QString ComparisonPlot::mapName(int index) const { return maps_.at(size_t(index)).name; }
double ComparisonPlot::appliedScale(int index) const { return layers_.at(size_t(index))->appliedScale(); }

QCPItemText* ComparisonPlot::addHeader(QCPAxisRect* rect, const QString& text, bool small) {
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
    if (small) {  // eleven rows a column: a smaller header leaves the waveform visible
        QFont smaller = font();
        smaller.setPointSizeF(smaller.pointSizeF() * 0.82);
        label->setFont(smaller);
        label->setPadding(QMargins(4, 1, 4, 1));
    }
    label->setSelectable(false);
    label->setText(text);
    return label;
}

void ComparisonPlot::rebuild() {
    for (QCPItemText* label : labels_) removeItem(label);
    for (QCPItemText* label : tfLabels_)
        if (label) removeItem(label);
    labels_.clear();
    headers_.clear();
    tfLabels_.clear();
    tfRows_.clear();
    rowMap_.clear();
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
    auto hasTf = [this](int i) { return tfShown_ && i < int(maps_.size()) && maps_[size_t(i)].tf && maps_[size_t(i)].tf->frames > 1; };
    int tfCount = 0;
    for (int i = 0; i < n; ++i) tfCount += hasTf(i);
    // Grid rows per column: each method's row, then its TF row when it has one.
    std::vector<int> nextGridRow(size_t(columns_), 0);
    const bool small = rows + (tfCount + columns_ - 1) / columns_ > 6;
    auto* margins = new QCPMarginGroup(this);
    auto placeTimeAxis = [](QCPAxisRect* rect, bool bottom) {
        QCPAxis* x = rect->axis(QCPAxis::atBottom);
        x->setTickLabels(bottom);
        if (!bottom) {
            rect->setAutoMargins(QCP::msLeft | QCP::msRight | QCP::msTop);
            rect->setMargins(QMargins(0, 0, 0, 2));
            x->setLabel(QString());
        }
    };
    for (int i = 0; i < n; ++i) {
        const int row = columns_ == 1 ? i : i % rows, column = columns_ == 1 ? 0 : i / rows;
        const bool lastInColumn = row == rows - 1 || i == n - 1;
        const bool tf = hasTf(i);
        const int gridRow = nextGridRow[size_t(column)]++;
        auto* layer = static_cast<WaveformLayer*>(addRowAt(std::make_unique<WaveformLayer>(false), grid_, gridRow, column));
        rowMap_.push_back(i);
        QCPAxisRect* rect = layer->rect();
        rect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
        placeTimeAxis(rect, lastInColumn && !tf);
        // Short rows: one "amplitude" per column (on its middle row); a label on each ran into the next.
        if (rows > 3) rect->axis(QCPAxis::atLeft)->setLabel(row == rows / 2 ? tr("amplitude") : QString());
        rect->axis(QCPAxis::atLeft)->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
        rect->axis(QCPAxis::atLeft)->ticker()->setTickCount(3);
        layer->setClip(clip_.samples, clip_.sampleRate);
        if (i < int(maps_.size())) layer->setRelevance(maps_[size_t(i)].relevance);
        layers_.push_back(layer);
        headers_.push_back(i < int(maps_.size()) ? headerVariants(maps_[size_t(i)]) : QStringList{tr("choose methods to compare (F6)")});
        labels_.push_back(addHeader(rect, headers_.back().front(), small));

        SpectrogramLayer* tfRow = nullptr;
        QCPItemText* tfLabel = nullptr;
        if (tf) {
            const int tfGridRow = nextGridRow[size_t(column)]++;
            tfRow = static_cast<SpectrogramLayer*>(addRowAt(std::make_unique<SpectrogramLayer>(), grid_, tfGridRow, column));
            rowMap_.push_back(i);
            QCPAxisRect* tfRect = tfRow->rect();
            tfRect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
            placeTimeAxis(tfRect, lastInColumn);
            QCPAxis* hz = tfRect->axis(QCPAxis::atLeft);
            hz->setLabel(QStringLiteral("Hz"));
            hz->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
            hz->ticker()->setTickCount(2);
            tfRow->setSpectrogram(spectrogram_);
            tfRow->setRelevanceOverlay(*maps_[size_t(i)].tf, maps_[size_t(i)].tfScale);
            grid_->setRowStretchFactor(tfGridRow, 1.25);  // frequency needs a little more height than amplitude
            tfLabel = addHeader(tfRect, QString(), small);
        }
        tfRows_.push_back(tfRow);
        tfLabels_.push_back(tfLabel);
    }
    scale_->setVisible(!maps_.empty());
    setSharedScale(sharedScale_);  // also the TF rows' ranges and headers
    refreshRows();
    refreshTheme();
}

// Shared: every TF row on the largest of the maps' own ranges, so colours compare across methods.
void ComparisonPlot::applyTfScales() {
    double shared = 0;
    for (size_t i = 0; i < tfRows_.size(); ++i)
        if (tfRows_[i]) shared = std::max(shared, maps_[i].tfScale);
    for (size_t i = 0; i < tfRows_.size(); ++i) {
        if (!tfRows_[i]) continue;
        const double scale = sharedScale_ ? shared : maps_[i].tfScale;
        tfRows_[i]->setRelevanceOverlayScale(scale);
        tfLabels_[i]->setText(tfHeaderOf(maps_[i], tfAppliedScale(int(i))));
    }
}

const TfOverlay* ComparisonPlot::tfOverlay(int index) const {
    if (index < 0 || index >= int(tfRows_.size()) || !tfRows_[size_t(index)]) return nullptr;
    return tfRows_[size_t(index)]->relevanceOverlay();
}

QString ComparisonPlot::tfRowHeader(int index) const {
    if (index < 0 || index >= int(tfLabels_.size()) || !tfLabels_[size_t(index)]) return QString();
    return tfLabels_[size_t(index)]->text();
}

double ComparisonPlot::tfAppliedScale(int index) const {
    const TfOverlay* overlay = tfOverlay(index);
    return overlay ? overlay->scale() : 0.0;
}

int ComparisonPlot::tfRowCount() const {
    int count = 0;
    for (SpectrogramLayer* row : tfRows_) count += row != nullptr;
    return count;
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
    for (QCPItemText* label : tfLabels_) {
        if (!label) continue;
        label->setBrush(back);
        label->setColor(theme.text);
    }
}

QString ComparisonPlot::rowHeader(int index) const {
    if (index < 0 || index >= int(headers_.size())) return QString();
    return headers_[size_t(index)].front();
}

QString ComparisonPlot::shownRowHeader(int index) const {
    if (index < 0 || index >= int(labels_.size())) return QString();
    return labels_[size_t(index)]->text();
}



QString ComparisonPlot::readoutAt(int row, double seconds, double value) const {
    if (row < 0 || row >= int(rowMap_.size()) || rowMap_[size_t(row)] >= int(maps_.size()))
        return QString();  // the empty grid's placeholder row
    return maps_[size_t(rowMap_[size_t(row)])].name + QStringLiteral("   ") + TimeLinkedPlot::readoutAt(row, seconds, value);
}

}  // namespace s4scope::views
