#pragma once
// The whole recording at a glance (DESIGN.md §9): its minimum and maximum per pixel column
// (signal::minMaxEnvelope, computed on a worker at the width this strip asks for), a time scale in
// the file's time, and the analysed second marked; drag the marker, click, or use the arrow keys to
// move it (RecordingStrip).
#include <QTimer>

#include "signal/envelope.h"
#include "views/recording_strip.h"

namespace s4scope::views {

class OverviewStrip : public RecordingStrip {
    Q_OBJECT
public:
    explicit OverviewStrip(QWidget* parent = nullptr);

    // Drawn stretched to the width until the envelope for the new width arrives.
    void setEnvelope(signal::Envelope envelope);
    const signal::Envelope& envelope() const { return envelope_; }
    QSize sizeHint() const override { return {800, 64}; }

signals:
    // The width changed (settled for a moment): an envelope of this many columns is wanted.
    void columnsWanted(int columns);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    signal::Envelope envelope_;
    QTimer resized_;
};

// "0:42", "1:05:00" or "2.5 s": a file time as the overview and the offset field write it.
QString fileTimeText(double seconds, double step);

}  // namespace s4scope::views
