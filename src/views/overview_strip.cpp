#include "views/overview_strip.h"

#include <algorithm>
#include <cmath>

#include <QPainter>
#include <QResizeEvent>

namespace s4scope::views {
namespace {

constexpr int kScaleHeight = 14;  // the time labels under the waveform

// The smallest "nice" step that leaves `minPixels` between ticks.
double tickStep(double duration, int width, int minPixels) {
    static const double steps[] = {0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200};
    for (double s : steps)
        if (width * s / std::max(duration, 1e-9) >= minPixels) return s;
    return 7200;
}

}  // namespace

QString fileTimeText(double seconds, double step) {
    if (seconds < 60 && step < 60) return QStringLiteral("%1 s").arg(seconds, 0, 'g', 6);
    const int total = int(std::lround(seconds));
    const int h = total / 3600, m = (total / 60) % 60, s = total % 60;
    return h > 0 ? QStringLiteral("%1:%2:%3").arg(h).arg(m, 2, 10, QLatin1Char('0')).arg(s, 2, 10, QLatin1Char('0'))
                 : QStringLiteral("%1:%2").arg(m).arg(s, 2, 10, QLatin1Char('0'));
}

OverviewStrip::OverviewStrip(QWidget* parent) : RecordingStrip(parent) {
    setMinimumHeight(48);
    setToolTip(tr("The whole recording: the marked second is the one analysed. Drag or click to move it; "
                  "arrow keys move it by 0.1 s, Shift+arrow by a second"));
    resized_.setSingleShot(true);
    resized_.setInterval(80);
    connect(&resized_, &QTimer::timeout, this, [this] { emit columnsWanted(std::max(1, width())); });
}

void OverviewStrip::setEnvelope(signal::Envelope envelope) {
    envelope_ = std::move(envelope);
    update();
}

void OverviewStrip::resizeEvent(QResizeEvent* event) {
    RecordingStrip::resizeEvent(event);
    if (event->size().width() != event->oldSize().width()) resized_.start();
}

void OverviewStrip::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    const double w = width(), plotHeight = height() - kScaleHeight;
    p.setPen(palette().color(QPalette::Mid));
    p.drawLine(QPointF(0, plotHeight), QPointF(w, plotHeight));
    if (duration() <= 0) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, tr("The whole recording shows here once a file is open"));
        return;
    }
    // One vertical bar per column, min to max, scaled so the loudest part fills the height.
    const int columns = envelope_.columns();
    if (columns > 0) {
        float peak = 1e-6f;
        for (int c = 0; c < columns; ++c)
            peak = std::max({peak, std::abs(envelope_.minimum[size_t(c)]), std::abs(envelope_.maximum[size_t(c)])});
        const double mid = plotHeight / 2, scale = (plotHeight / 2 - 2) / peak, columnWidth = w / columns;
        const QColor ink = palette().color(QPalette::Text);
        for (int c = 0; c < columns; ++c) {
            const double y0 = mid - envelope_.maximum[size_t(c)] * scale, y1 = mid - envelope_.minimum[size_t(c)] * scale;
            p.fillRect(QRectF(c * columnWidth, y0, std::max(1.0, columnWidth), std::max(1.0, y1 - y0)), ink);
        }
    }
    paintWindow(p);
    // The time scale in the file's time.
    const double step = tickStep(duration(), width(), 70);
    p.setPen(palette().color(QPalette::Text));
    const QFontMetrics metrics(font());
    for (double t = 0; t <= duration() + 1e-9; t += step) {
        const double x = xOf(t);
        p.drawLine(QPointF(x, plotHeight), QPointF(x, plotHeight + 3));
        const QString label = fileTimeText(t, step);
        const double textX = std::clamp(x - metrics.horizontalAdvance(label) / 2.0, 0.0, w - metrics.horizontalAdvance(label));
        p.drawText(QPointF(textX, height() - 2), label);
    }
}

}  // namespace s4scope::views
