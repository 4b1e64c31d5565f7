#include "views/keyword_timeline.h"

#include <algorithm>

#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

namespace s4scope::views {

KeywordTimeline::KeywordTimeline(QWidget* parent) : RecordingStrip(parent) {
    setMinimumHeight(26);
    setMaximumHeight(34);
}

void KeywordTimeline::setClassCount(int classes) {
    classes_ = std::max(1, classes);
    update();
}

void KeywordTimeline::setDetections(std::vector<TimelineDetection> detections, bool scanned) {
    detections_ = std::move(detections);
    scanned_ = scanned;
    update();
}

QColor KeywordTimeline::colourOf(const TimelineDetection& d) const {
    QColor c = QColor::fromHsv((d.classIndex * 360 / classes_) % 360, 150, 230);
    c.setAlphaF(0.45 + 0.55 * std::clamp(d.probability, 0.0, 1.0));
    return c;
}

double KeywordTimeline::detectionCentreX(int index) const {
    const TimelineDetection& d = detections_.at(size_t(index));
    return xOf((d.start + d.end) / 2);
}

int KeywordTimeline::detectionAt(double x) const {
    const double t = timeAt(x);
    for (size_t i = 0; i < detections_.size(); ++i)
        if (t >= detections_[i].start && t <= detections_[i].end) return int(i);
    return -1;
}

bool KeywordTimeline::pressTaken(const QPointF& position) {
    const int index = detectionAt(position.x());
    if (index < 0) return false;
    emit detectionActivated(index);
    return true;
}

bool KeywordTimeline::event(QEvent* e) {
    if (e->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(e);
        const int index = detectionAt(help->pos().x());
        QString text;
        if (index >= 0) {
            const TimelineDetection& d = detections_[size_t(index)];
            text = tr("'%1'  %2–%3 s, probability %4 %\nClick to analyse the second at %5 s")
                       .arg(d.label)
                       .arg(d.start, 0, 'f', 2)
                       .arg(d.end, 0, 'f', 2)
                       .arg(100 * d.probability, 0, 'f', 0)
                       .arg(d.peakStart, 0, 'f', 2);
        } else {
            text = scanned_ ? tr("Keyword timeline: no keyword here. Click to analyse the second centred here")
                            : tr("Keyword timeline: scan the recording (Audio > Scan for keywords) to fill it");
        }
        QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return RecordingStrip::event(e);
}

void KeywordTimeline::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    p.setPen(palette().color(QPalette::Mid));
    p.drawRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5));
    if (duration() <= 0) return;
    if (!scanned_) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, tr("keyword timeline: not scanned yet (Audio > Scan for keywords, Ctrl+K)"));
    } else if (detections_.empty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, tr("no keyword found"));
    }
    // Bands first, then the labels that fit, so no band covers a label.
    for (const TimelineDetection& d : detections_) {
        const double x0 = xOf(d.start), x1 = xOf(d.end);
        p.fillRect(QRectF(x0, 2, std::max(2.0, x1 - x0), height() - 4), colourOf(d));
    }
    p.setPen(Qt::black);  // on the light band colours, whatever the theme
    const QFontMetrics metrics(font());
    for (const TimelineDetection& d : detections_) {
        const double x0 = xOf(d.start), x1 = xOf(d.end);
        if (metrics.horizontalAdvance(d.label) + 6 > x1 - x0) continue;
        p.drawText(QRectF(x0, 0, x1 - x0, height()), Qt::AlignCenter, d.label);
    }
    paintWindow(p);
}

}  // namespace s4scope::views
