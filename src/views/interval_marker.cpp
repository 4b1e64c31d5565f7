#include "views/interval_marker.h"

#include <algorithm>
#include <cmath>

#include <QMouseEvent>

#include "views/time_linked_plot.h"

namespace s4scope::views {

IntervalMarker::IntervalMarker(TimeLinkedPlot* plot) : QObject(plot), plot_(plot) { plot->installEventFilter(this); }

IntervalMarker::~IntervalMarker() = default;

double IntervalMarker::timeAt(const QMouseEvent* event) const {
    if (plot_->rowCount() == 0) return 0;
    const double t = plot_->rowRect(0)->axis(QCPAxis::atBottom)->pixelToCoord(event->position().x());
    return std::clamp(t, 0.0, std::max(0.0, plot_->duration()));
}

void IntervalMarker::setInterval(std::optional<std::pair<double, double>> seconds) {
    interval_ = seconds;
    show(seconds);
}

// A band per row, from the top to the bottom of the row, between the two times.
void IntervalMarker::show(std::optional<std::pair<double, double>> seconds) {
    const int rows = plot_->rowCount();
    if (int(bands_.size()) != rows || (rows > 0 && bands_.front()->clipAxisRect() != plot_->rowRect(0))) {
        for (QCPItemRect* band : bands_) plot_->removeItem(band);
        bands_.clear();
        for (int r = 0; r < rows; ++r) {
            auto* band = new QCPItemRect(plot_);
            QCPAxisRect* rect = plot_->rowRect(r);
            band->setClipAxisRect(rect);
            for (QCPItemPosition* p : {band->topLeft, band->bottomRight}) {
                p->setAxisRect(rect);
                p->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
                p->setTypeX(QCPItemPosition::ptPlotCoords);
                p->setTypeY(QCPItemPosition::ptAxisRectRatio);
            }
            band->setPen(QPen(QColor(0xe0, 0x8e, 0x0b), 1.5));
            band->setBrush(QColor(0xf5, 0xb0, 0x2e, 60));
            band->setSelectable(false);
            band->setLayer(QStringLiteral("overlay"));
            bands_.push_back(band);
        }
    }
    for (QCPItemRect* band : bands_) {
        band->setVisible(bool(seconds));
        if (!seconds) continue;
        band->topLeft->setCoords(seconds->first, 0);
        band->bottomRight->setCoords(seconds->second, 1);
    }
    plot_->replot(QCustomPlot::rpQueuedReplot);
}

bool IntervalMarker::eventFilter(QObject* watched, QEvent* event) {
    if (watched != plot_) return false;
    auto* mouse = static_cast<QMouseEvent*>(event);
    switch (event->type()) {
    case QEvent::MouseButtonPress:
    {
        const Qt::KeyboardModifiers keys = mouse->modifiers();
        const bool marks = keys.testFlag(Qt::ControlModifier) || (plainDrag_ && !keys.testFlag(Qt::ShiftModifier));
        if (mouse->button() != Qt::LeftButton || !marks || plot_->duration() <= 0 || !plot_->axisRectAt(mouse->position()))
            return false;
    }
        dragging_ = true;
        anchor_ = timeAt(mouse);
        show(std::make_pair(anchor_, anchor_));
        return true;  // not a pan
    case QEvent::MouseMove:
        if (!dragging_) return false;
        show(std::make_pair(std::min(anchor_, timeAt(mouse)), std::max(anchor_, timeAt(mouse))));
        return true;
    case QEvent::MouseButtonRelease: {
        if (!dragging_ || mouse->button() != Qt::LeftButton) return false;
        dragging_ = false;
        const double a = std::min(anchor_, timeAt(mouse)), b = std::max(anchor_, timeAt(mouse));
        if (b - a < 0.01) {  // a click, not a drag: the interval stays as it was
            show(interval_);
            return true;
        }
        interval_ = std::make_pair(a, b);
        show(interval_);
        emit marked(a, b);
        return true;
    }
    default: return false;
    }
}

}  // namespace s4scope::views
