#include "views/time_marker.h"

namespace s4scope::views {

TimeMarker::TimeMarker(QCustomPlot* plot, const QPen& pen) : plot_(plot), pen_(pen) {}

void TimeMarker::attach(const QList<QCPAxisRect*>& rects) {
    for (const QPointer<QCPItemStraightLine>& line : lines_)
        if (line) plot_->removeItem(line.data());
    lines_.clear();
    for (QCPAxisRect* rect : rects) {
        auto* line = new QCPItemStraightLine(plot_);
        line->setClipAxisRect(rect);
        line->setClipToAxisRect(true);
        line->setSelectable(false);
        line->setLayer(QStringLiteral("overlay"));
        for (QCPItemPosition* p : {line->point1, line->point2}) {
            p->setAxisRect(rect);
            p->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
            p->setTypeX(QCPItemPosition::ptPlotCoords);
            p->setTypeY(QCPItemPosition::ptAxisRectRatio);
        }
        lines_.append(line);
    }
    setPen(pen_);
    setTime(time_);
    setVisible(visible_);
}

void TimeMarker::setTime(double seconds) {
    time_ = seconds;
    for (const QPointer<QCPItemStraightLine>& line : lines_) {
        if (!line) continue;
        line->point1->setCoords(seconds, 0);
        line->point2->setCoords(seconds, 1);
    }
}

void TimeMarker::setVisible(bool visible) {
    visible_ = visible;
    for (const QPointer<QCPItemStraightLine>& line : lines_)
        if (line) line->setVisible(visible);
}

void TimeMarker::setPen(const QPen& pen) {
    pen_ = pen;
    for (const QPointer<QCPItemStraightLine>& line : lines_)
        if (line) line->setPen(pen);
}

}  // namespace s4scope::views
