#pragma once
// The whole file above the views (DESIGN.md §9): the overview with the analysed second marked, the
// keyword timeline under it, the offset field, the Scan button and a warning line for files that
// loaded with one (a truncated WAV). It shows what the window hands it and forwards what the user
// asks for: offsetRequested from the field, the strips or the arrow keys; detectionActivated.
#include <QWidget>

#include "views/keyword_timeline.h"
#include "views/overview_strip.h"

class QDoubleSpinBox;
class QLabel;
class QToolButton;
class QAction;

namespace s4scope::app {

class RecordingPanel : public QWidget {
    Q_OBJECT
public:
    // `scan` is the window's Scan for keywords action (the button shows it).
    explicit RecordingPanel(QAction* scan, QWidget* parent = nullptr);

    views::OverviewStrip* overview() const { return overview_; }
    views::KeywordTimeline* timeline() const { return timeline_; }
    QDoubleSpinBox* offsetField() const { return offset_; }
    QLabel* warningLabel() const { return warning_; }

    // A new file: its duration, the model's window and the latest offset it may start at.
    void setRecording(const QString& name, double duration, double windowSeconds, double maximumOffset);
    void setWarning(const QString& text);  // empty hides it
    void setOffset(double seconds);        // the second that is analysed now (does not emit)

signals:
    void offsetRequested(double seconds);

private:
    views::OverviewStrip* overview_;
    views::KeywordTimeline* timeline_;
    QDoubleSpinBox* offset_;
    QLabel* duration_;
    QLabel* warning_;
    double window_ = 1.0;
};

}  // namespace s4scope::app
