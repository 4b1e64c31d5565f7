#pragma once
// Marks a time interval on a TimeLinkedPlot (the word whose localisation is judged, DESIGN.md §10):
// Ctrl+drag over any row marks it, a shaded band through every row shows it. A plain drag still
// pans, Shift+drag still zooms and Ctrl+wheel still zooms the amplitude: only a Ctrl+left-button
// press starts marking. The marker is an event filter, so the plot classes stay as they are.
#include <optional>
#include <utility>
#include <vector>

#include <QObject>

class QCPItemRect;
class QMouseEvent;

namespace s4scope::views {

class TimeLinkedPlot;

class IntervalMarker : public QObject {
    Q_OBJECT
public:
    explicit IntervalMarker(TimeLinkedPlot* plot);
    ~IntervalMarker() override;

    // Whether a plain left drag marks too (Shift+drag keeps zooming): for a plot that exists to mark.
    void setPlainDragMarks(bool marks) { plainDrag_ = marks; }

    // Clip time in seconds (start < end); nullopt hides the band.
    void setInterval(std::optional<std::pair<double, double>> seconds);
    std::optional<std::pair<double, double>> interval() const { return interval_; }

signals:
    // The user finished a drag (clamped to the clip, at least 10 ms long).
    void marked(double startSeconds, double endSeconds);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    double timeAt(const QMouseEvent* event) const;
    void show(std::optional<std::pair<double, double>> seconds);

    TimeLinkedPlot* plot_;
    std::vector<QCPItemRect*> bands_;  // one per row, rebuilt when the rows change
    std::optional<std::pair<double, double>> interval_;
    bool dragging_ = false;
    bool plainDrag_ = false;
    double anchor_ = 0;
};

}  // namespace s4scope::views
