#include "views/recording_strip.h"

#include <algorithm>
#include <cmath>

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>

namespace s4scope::views {

RecordingStrip::RecordingStrip(QWidget* parent) : QWidget(parent) {
    setFocusPolicy(Qt::StrongFocus);  // the arrow keys move the window
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setMouseTracking(true);
}

void RecordingStrip::setDuration(double seconds) {
    duration_ = std::max(0.0, seconds);
    update();
}

void RecordingStrip::setWindow(double startSeconds, double lengthSeconds) {
    windowStart_ = startSeconds;
    windowLength_ = lengthSeconds;
    if (!dragging_) dragStart_ = startSeconds;
    update();
}

double RecordingStrip::xOf(double seconds) const { return duration_ > 0 ? width() * seconds / duration_ : 0.0; }

double RecordingStrip::timeAt(double x) const { return width() > 0 ? duration_ * x / width() : 0.0; }

QRectF RecordingStrip::windowRect() const {
    const double start = dragging_ ? dragStart_ : windowStart_;
    const double x0 = xOf(start), x1 = xOf(std::min(duration_, start + windowLength_));
    return QRectF(x0, 0, std::max(2.0, x1 - x0), height());
}

void RecordingStrip::paintWindow(QPainter& p) const {
    if (duration_ <= 0) return;
    const QRectF r = windowRect();
    QColor fill = palette().color(QPalette::Highlight);
    fill.setAlphaF(0.22);
    p.fillRect(r, fill);
    p.setPen(QPen(palette().color(QPalette::Highlight), hasFocus() ? 2.0 : 1.5));
    p.drawRect(r.adjusted(0.75, 0.75, -0.75, -0.75));
}

double RecordingStrip::clampedStart(double seconds) const {
    const double latest = std::max(0.0, duration_ - windowLength_);
    return std::clamp(std::isfinite(seconds) ? seconds : 0.0, 0.0, latest);
}

// Moves the marker at once (so quick key presses add up) and asks for that second, to the
// millisecond the offset field shows (a drag would otherwise ask for 9.990243… s).
void RecordingStrip::request(double seconds) {
    windowStart_ = clampedStart(std::round(clampedStart(seconds) * 1000.0) / 1000.0);
    update();
    emit offsetRequested(windowStart_);
}

void RecordingStrip::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton || duration_ <= 0) return QWidget::mousePressEvent(event);
    setFocus(Qt::MouseFocusReason);
    if (pressTaken(event->position())) return;
    const double t = timeAt(event->position().x());
    // Inside the marker: drag it from where it was taken; elsewhere: centre it on the click.
    grab_ = (t >= windowStart_ && t <= windowStart_ + windowLength_) ? t - windowStart_ : windowLength_ / 2;
    dragging_ = true;
    dragStart_ = clampedStart(t - grab_);
    update();
}

void RecordingStrip::mouseMoveEvent(QMouseEvent* event) {
    if (!dragging_) return QWidget::mouseMoveEvent(event);
    dragStart_ = clampedStart(timeAt(event->position().x()) - grab_);
    update();
}

void RecordingStrip::mouseReleaseEvent(QMouseEvent* event) {
    if (!dragging_) return QWidget::mouseReleaseEvent(event);
    dragging_ = false;
    request(dragStart_);
}

void RecordingStrip::keyPressEvent(QKeyEvent* event) {
    if (duration_ <= 0) return QWidget::keyPressEvent(event);
    const double step = event->modifiers() & Qt::ShiftModifier ? windowLength_ : step_;
    switch (event->key()) {
    case Qt::Key_Left: return request(windowStart_ - step);
    case Qt::Key_Right: return request(windowStart_ + step);
    case Qt::Key_PageUp: return request(windowStart_ - windowLength_);
    case Qt::Key_PageDown: return request(windowStart_ + windowLength_);
    case Qt::Key_Home: return request(0);
    case Qt::Key_End: return request(duration_);
    default: QWidget::keyPressEvent(event);
    }
}

}  // namespace s4scope::views
