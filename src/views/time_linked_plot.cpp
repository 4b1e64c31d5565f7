#include "views/time_linked_plot.h"

#include "views/time_range.h"

#include <algorithm>
#include <cmath>

#include <QKeyEvent>
#include <QWheelEvent>

namespace s4scope::views {

TimeLinkedPlot::TimeLinkedPlot(QWidget* parent) : PlotWidget(parent) {
    plotLayout()->clear();
    title_ = new QCPTextElement(this, QString(), QFont(font().family(), font().pointSize() + 1, QFont::Bold));
    plotLayout()->addElement(0, 0, title_);
    columns_ = new QCPMarginGroup(this);
    crosshair_ = std::make_unique<TimeMarker>(this, QPen(QColor(0x30, 0x30, 0x30, 170), 1, Qt::DashLine));
    playhead_ = std::make_unique<TimeMarker>(this, QPen(PlotTheme::light().playhead, 2));
    // The crosshair, readout and playhead live on the "overlay" layer (see replotOverlay).
    layer(QStringLiteral("overlay"))->setMode(QCPLayer::lmLogical);
    setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    connect(selectionRect(), &QCPSelectionRect::accepted, this, [this](const QRect& rect, QMouseEvent*) { zoomToPixels(rect); });
    setMouseTracking(true);
    // Pixel columns change with the widget's size (or a colour bar showing up): rows pooled per
    // column pool again when they do. This runs inside a replot, between layout and drawing, so
    // that replot draws the new pooling: no second one is queued.
    connect(this, &QCustomPlot::afterLayout, this, [this] {
        for (const Row& row : rows_) {
            if (row.rect->width() != row.pooledWidth) {
                const bool held = replotsHeld_;
                replotsHeld_ = true;
                refreshRows();
                replotsHeld_ = held;
                return;
            }
        }
    });
}

TimeLinkedPlot::~TimeLinkedPlot() = default;

void TimeLinkedPlot::setTitle(const QString& title) {
    title_->setText(title);
    requestReplot();
}

QString TimeLinkedPlot::title() const { return title_->text(); }

QCPAxisRect* TimeLinkedPlot::newTimeRect() {
    auto* rect = new QCPAxisRect(this);
    rect->setRangeDrag(Qt::Horizontal);
    rect->setRangeZoom(Qt::Horizontal);
    return rect;
}

void TimeLinkedPlot::stackRow(std::unique_ptr<TimeLayer> layer) {
    const RowLayout layout = layer->layout();
    QCPLayoutGrid* grid = plotLayout();
    const int at = grid->rowCount();  // under the title and the rows so far
    QCPAxisRect* rect = newTimeRect();
    grid->addElement(at, 0, rect);
    rect->setMarginGroup(QCP::msLeft | QCP::msRight, columns_);
    QCPColorScale* scale = nullptr;
    if (layout.colourScale) {
        scale = new QCPColorScale(this);
        grid->addElement(at, 1, scale);
        grid->setColumnStretchFactor(1, 0.01);
        scale->setBarWidth(12);
        auto* rowEdges = new QCPMarginGroup(this);  // the bar as tall as its row's data area
        rect->setMarginGroup(QCP::msTop | QCP::msBottom, rowEdges);
        scale->setMarginGroup(QCP::msTop | QCP::msBottom, rowEdges);
    }
    if (layout.joinsRowAbove && !rows_.empty()) {
        // This row carries the time axis for the one above, which sits directly on it.
        Row& above = rows_.back();
        above.rect->axis(QCPAxis::atBottom)->setTickLabels(false);
        above.rect->axis(QCPAxis::atBottom)->setLabel(QString());
        above.rect->setAutoMargins(QCP::msLeft | QCP::msRight | QCP::msTop);
        above.rect->setMargins(QMargins(0, 0, 0, 2));
        above.rect->setMarginGroup(QCP::msBottom, nullptr);
        if (above.scale) above.scale->setMarginGroup(QCP::msBottom, nullptr);
        rect->setAutoMargins(QCP::msLeft | QCP::msRight | QCP::msBottom);
        rect->setMargins(QMargins(0, 0, 0, 0));
    }
    if (layout.minimumHeight > 0 || layout.maximumHeight < QWIDGETSIZE_MAX) {
        rect->setSizeConstraintRect(QCPLayoutElement::scrInnerRect);
        rect->setMinimumSize(0, layout.minimumHeight);
        rect->setMaximumSize(QWIDGETSIZE_MAX, layout.maximumHeight);
    }
    QList<double> stretch{0.01};  // the title
    for (const Row& row : rows_) stretch.append(row.layer->layout().stretch);
    stretch.append(layout.stretch);
    grid->setRowStretchFactors(stretch);
    adoptRow(std::move(layer), rect, scale);
}

TimeLayer* TimeLinkedPlot::addRowAt(std::unique_ptr<TimeLayer> layer, QCPLayoutGrid* grid, int row, int column) {
    QCPAxisRect* rect = newTimeRect();
    grid->addElement(row, column, rect);
    TimeLayer* added = layer.get();
    adoptRow(std::move(layer), rect, nullptr);
    return added;
}

void TimeLinkedPlot::adoptRow(std::unique_ptr<TimeLayer> layer, QCPAxisRect* rect, QCPColorScale* scale) {
    layer->attach(rect, scale);
    QCPAxis* time = rect->axis(QCPAxis::atBottom);
    time->setTicker(ticker_);
    time->setRange(range_);
    connect(time, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, &TimeLinkedPlot::onAxisRangeChanged);
    applyTheme(*this, theme());
    layer->applyPlotTheme(theme());
    rows_.push_back({std::move(layer), rect, scale, -1});
    if (readoutBoxShown_ && !readoutBox_) {
        readoutBox_ = new QCPItemText(this);
        readoutBox_->setClipAxisRect(rows_.front().rect);
        readoutBox_->position->setAxisRect(rows_.front().rect);
        readoutBox_->position->setType(QCPItemPosition::ptAxisRectRatio);
        readoutBox_->position->setCoords(1, 0);
        readoutBox_->setPositionAlignment(Qt::AlignRight | Qt::AlignTop);
        readoutBox_->setLayer(QStringLiteral("overlay"));
        readoutBox_->setSelectable(false);
        readoutBox_->setPadding(QMargins(6, 3, 6, 3));
        readoutBox_->setBrush(QColor(255, 255, 255, 225));
        readoutBox_->setPen(QPen(QColor(0, 0, 0, 80)));
        readoutBox_->setColor(Qt::black);
        readoutBox_->setVisible(false);
    }
    QList<QCPAxisRect*> rects;
    for (const Row& row : rows_) rects.append(row.rect);
    crosshair_->attach(rects);
    playhead_->attach(rects);
}

void TimeLinkedPlot::clearRows() {
    crosshair_->attach({});
    playhead_->attach({});
    if (readoutBox_) removeItem(readoutBox_);
    readoutBox_ = nullptr;
    rows_.clear();  // the layers remove their plottables
}

void TimeLinkedPlot::setTimeExtent(double duration, int sampleRate) {
    duration_ = std::max(0.0, duration);
    sampleRate_ = std::max(1, sampleRate);
}

void TimeLinkedPlot::setTimeRange(const QCPRange& range) { applyTimeRange(range, false); }

void TimeLinkedPlot::resetZoom() { setTimeRange(QCPRange(0, duration_ > 0 ? duration_ : 1.0)); }

void TimeLinkedPlot::zoomBy(double factor) { setTimeRange(zoomedTimeRange(range_, factor)); }

void TimeLinkedPlot::panBy(double fraction) {
    const double shift = fraction * range_.size();
    setTimeRange(QCPRange(range_.lower + shift, range_.upper + shift));
}

bool TimeLinkedPlot::zoomAmplitude(double factor) {
    bool any = false;
    for (const Row& row : rows_) any = row.layer->zoomValue(factor) || any;
    if (any) requestReplot();
    return any;
}

void TimeLinkedPlot::zoomToPixels(const QRect& rect) {
    if (rows_.empty() || std::abs(rect.width()) < 3) return;
    QCPAxis* time = rows_.front().rect->axis(QCPAxis::atBottom);
    const double a = time->pixelToCoord(rect.left()), b = time->pixelToCoord(rect.right());
    setTimeRange(QCPRange(std::min(a, b), std::max(a, b)));
}

void TimeLinkedPlot::mousePressEvent(QMouseEvent* event) {
    const bool zoomDrag = event->button() == Qt::LeftButton && event->modifiers().testFlag(Qt::ShiftModifier);
    setSelectionRectMode(zoomDrag ? QCP::srmCustom : QCP::srmNone);
    PlotWidget::mousePressEvent(event);
}

void TimeLinkedPlot::wheelEvent(QWheelEvent* event) {
    if (event->modifiers().testFlag(Qt::ControlModifier)) {
        const double steps = event->angleDelta().y() / 120.0;
        if (steps != 0 && zoomAmplitude(std::pow(0.8, steps))) {
            event->accept();
            return;
        }
    }
    PlotWidget::wheelEvent(event);
}

void TimeLinkedPlot::keyPressEvent(QKeyEvent* event) {
    const bool coarse = event->modifiers().testFlag(Qt::ShiftModifier);
    switch (event->key()) {
    case Qt::Key_Left: panBy(coarse ? -0.9 : -0.2); break;
    case Qt::Key_Right: panBy(coarse ? 0.9 : 0.2); break;
    case Qt::Key_Plus:
    case Qt::Key_Equal: zoomBy(0.5); break;
    case Qt::Key_Minus: zoomBy(2.0); break;
    case Qt::Key_Up: zoomAmplitude(0.5); break;
    case Qt::Key_Down: zoomAmplitude(2.0); break;
    case Qt::Key_Home:
        resetZoom();
        for (const Row& row : rows_) row.layer->resetValueZoom();
        requestReplot();
        break;
    default: PlotWidget::keyPressEvent(event); return;
    }
    event->accept();
}

bool TimeLinkedPlot::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip && toolTip().isEmpty()) {
        event->accept();
        return true;
    }
    return PlotWidget::event(event);
}

void TimeLinkedPlot::refreshRows() { applyTimeRange(range_, true); }

void TimeLinkedPlot::showWholeClip() { applyTimeRange(QCPRange(0, duration_ > 0 ? duration_ : 1.0), true); }

void TimeLinkedPlot::onAxisRangeChanged(const QCPRange& range) {
    if (!syncing_) applyTimeRange(range, false);
}

// Every row's time axis shows the clamped range; the rows re-pool for it. Emits only on a change,
// so two plots linked both ways (explanation and comparison) settle after one round.
void TimeLinkedPlot::applyTimeRange(const QCPRange& range, bool force) {
    const QCPRange clamped = duration_ > 0 ? clampTimeRange(range, duration_, 64.0 / sampleRate_) : range;
    const bool changed = clamped != range_;
    range_ = clamped;
    syncing_ = true;
    for (const Row& row : rows_) row.rect->axis(QCPAxis::atBottom)->setRange(clamped);
    syncing_ = false;
    if (!changed && !force) return;
    for (Row& row : rows_) {
        row.layer->setTimeRange(clamped);
        row.pooledWidth = row.rect->width();
    }
    timeRangeApplied(clamped);
    if (changed) emit timeRangeChanged(clamped);
    requestReplot();
}

void TimeLinkedPlot::setTimeOrigin(double seconds) {
    ticker_->setOrigin(seconds);
    requestReplot();
}

void TimeLinkedPlot::setPlayhead(double seconds) {
    playhead_->setVisible(seconds >= 0);
    if (seconds >= 0) playhead_->setTime(seconds);
    replotOverlay();
}

void TimeLinkedPlot::requestReplot() {
    if (!replotsHeld_) replot(rpQueuedReplot);
}

// While the crosshair, the readout or the playhead shows, the overlay layer has a paint buffer of its
// own, so moving them redraws only that layer (the waveform and maps stay as drawn). Otherwise it
// shares the main buffer: every full replot, a live update's above all, then clears and composites
// one full-size buffer instead of two.
void TimeLinkedPlot::replotOverlay() {
    QCPLayer* overlay = layer(QStringLiteral("overlay"));
    const bool inUse = crosshair_->isVisible() || (readoutBox_ && readoutBox_->visible()) || playhead_->isVisible();
    const QCPLayer::LayerMode mode = inUse ? QCPLayer::lmBuffered : QCPLayer::lmLogical;
    if (overlay->mode() != mode) {
        overlay->setMode(mode);  // the buffers change: one full replot
        requestReplot();
    } else if (inUse) {
        overlay->replot();
    }  // else nothing on the overlay showed before or shows now: nothing to redraw
}

void TimeLinkedPlot::applyPlotTheme(const PlotTheme& theme) {
    PlotWidget::applyPlotTheme(theme);
    for (const Row& row : rows_) row.layer->applyPlotTheme(theme);
    playhead_->setPen(QPen(theme.playhead, 2));
    crosshair_->setPen(QPen(theme.crosshair, 1, Qt::DashLine));
}

int TimeLinkedPlot::rowAt(const QPointF& position) const {
    QCPAxisRect* rect = axisRectAt(position);
    for (size_t i = 0; rect && i < rows_.size(); ++i)
        if (rows_[i].rect == rect) return int(i);
    return -1;
}

QString TimeLinkedPlot::readoutAt(int row, double seconds, double value) const {
    const QString own = rows_.at(size_t(row)).layer->readout(seconds, value);
    const QString time = QStringLiteral("t %1 s").arg(timeOrigin() + seconds, 0, 'f', 4);
    return own.isEmpty() ? time : time + QStringLiteral("   ") + own;
}

void TimeLinkedPlot::mouseMoveEvent(QMouseEvent* event) {
    PlotWidget::mouseMoveEvent(event);
    const QPointF position = event->position();
    const int row = rowAt(position);
    QString text;
    if (row >= 0 && duration_ > 0) {
        QCPAxisRect* rect = rows_[size_t(row)].rect;
        const double t = rect->axis(QCPAxis::atBottom)->pixelToCoord(position.x());
        if (t >= 0 && t <= duration_) {
            text = readoutAt(row, t, rect->axis(QCPAxis::atLeft)->pixelToCoord(position.y()));
            crosshair_->setTime(t);
        }
    }
    crosshair_->setVisible(!text.isEmpty());
    if (readoutBox_) {
        readoutBox_->setText(text);
        readoutBox_->setVisible(!text.isEmpty());
    }
    emit readoutChanged(text);
    replotOverlay();
}

void TimeLinkedPlot::mouseDoubleClickEvent(QMouseEvent* event) {
    PlotWidget::mouseDoubleClickEvent(event);
    resetZoom();
    for (const Row& row : rows_) row.layer->resetValueZoom();
    requestReplot();
}

void TimeLinkedPlot::leaveEvent(QEvent* event) {
    PlotWidget::leaveEvent(event);
    crosshair_->setVisible(false);
    if (readoutBox_) readoutBox_->setVisible(false);
    emit readoutChanged(QString());
    replotOverlay();
}

}  // namespace s4scope::views
