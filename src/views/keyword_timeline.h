#pragma once
// The keyword timeline of a scanned recording (DESIGN.md §9), under the overview on the same time
// axis: one band per detection, coloured per keyword (as live mode's history) with its name where
// it fits, the analysed second marked. Clicking a detection asks for its most probable second;
// clicking elsewhere, for the second centred there. The strip draws the scan it is given: the
// scanning runs in the engine, on a worker.
#include <vector>

#include <QString>

#include "views/recording_strip.h"

namespace s4scope::views {

struct TimelineDetection {
    double start = 0, end = 0;  // seconds in the file
    double peakStart = 0;       // the second to analyse
    int classIndex = 0;
    QString label;
    double probability = 0;
};

class KeywordTimeline : public RecordingStrip {
    Q_OBJECT
public:
    explicit KeywordTimeline(QWidget* parent = nullptr);

    void setClassCount(int classes);  // the colour of class c is hue c / classes
    // scanned: a scan finished (an empty list then says "no keyword found"); false: none yet.
    void setDetections(std::vector<TimelineDetection> detections, bool scanned);
    const std::vector<TimelineDetection>& detections() const { return detections_; }
    bool scanned() const { return scanned_; }
    // The x of a detection's centre, for tests and tooltips.
    double detectionCentreX(int index) const;
    QSize sizeHint() const override { return {800, 30}; }

signals:
    void detectionActivated(int index);

protected:
    bool pressTaken(const QPointF& position) override;
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override;

private:
    int detectionAt(double x) const;
    QColor colourOf(const TimelineDetection& d) const;

    std::vector<TimelineDetection> detections_;
    bool scanned_ = false;
    int classes_ = 10;
};

}  // namespace s4scope::views
