#pragma once
// Base of the strips that show a whole recording under one time axis (the overview and the keyword
// timeline, DESIGN.md §9): the file's time mapped onto the widget's width, the analysed second
// marked, and the ways to move it — click or drag (the marker follows the mouse, the new second is
// asked for on release), arrow keys (Shift: a whole second), Home and End. The strip only asks
// (offsetRequested); the document decides and the window sets the marker from what it loaded.
#include <QWidget>

namespace s4scope::views {

class RecordingStrip : public QWidget {
    Q_OBJECT
public:
    double duration() const { return duration_; }
    double windowStart() const { return windowStart_; }
    double windowLength() const { return windowLength_; }
    // Seconds the arrow keys move the window (Shift+arrow: one window length).
    void setStep(double seconds) { step_ = seconds; }

public slots:
    void setDuration(double seconds);  // 0: nothing to show
    void setWindow(double startSeconds, double lengthSeconds);

signals:
    void offsetRequested(double seconds);

protected:
    explicit RecordingStrip(QWidget* parent = nullptr);

    double xOf(double seconds) const;
    double timeAt(double x) const;
    // The marked second (while dragging: where the mouse has it), full height.
    QRectF windowRect() const;
    void paintWindow(QPainter& painter) const;
    // A press that does not start a drag (the timeline takes clicks on its detections).
    virtual bool pressTaken(const QPointF& position) { (void)position; return false; }

    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    double clampedStart(double seconds) const;
    void request(double seconds);

    double duration_ = 0;
    double windowStart_ = 0, windowLength_ = 1;
    double step_ = 0.1;
    bool dragging_ = false;
    double grab_ = 0;       // where in the window the mouse holds it, seconds from its start
    double dragStart_ = 0;  // the window's start while dragging
};

}  // namespace s4scope::views
