#pragma once
// A vertical line at one time drawn through several axis rects at once: the crosshair and the
// playback playhead, so that waveform and spectrogram always point at the same instant.
#include <QList>
#include <QPen>
#include <QPointer>
#include <qcustomplot.h>

namespace s4scope::views {

class TimeMarker {
public:
    TimeMarker(QCustomPlot* plot, const QPen& pen);
    // Re-creates the lines for `rects` (after the plot's layout was rebuilt).
    void attach(const QList<QCPAxisRect*>& rects);
    void setTime(double seconds);
    void setVisible(bool visible);
    void setPen(const QPen& pen);
    bool isVisible() const { return visible_; }
    double time() const { return time_; }

private:
    QCustomPlot* plot_;
    QPen pen_;
    QList<QPointer<QCPItemStraightLine>> lines_;  // the plot may delete them (clearItems)
    double time_ = 0;
    bool visible_ = false;
};

}  // namespace s4scope::views
