#include "app/live_history.h"

#include <QEvent>
#include <QPainter>

namespace s4scope::app {

LiveHistoryStrip::LiveHistoryStrip(QWidget* parent) : QWidget(parent) {
    setMinimumHeight(36);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setToolTip(tr("What live mode showed over the last seconds: one colour per keyword, grey for no speech"));
}

void LiveHistoryStrip::setLabels(const std::vector<std::string>& labels) {
    labels_ = labels;
    texts_.clear();
    update();
}

void LiveHistoryStrip::changeEvent(QEvent* event) {
    if (event->type() == QEvent::FontChange) texts_.clear();
    QWidget::changeEvent(event);
}

const QStaticText& LiveHistoryStrip::text(int cls) {
    auto it = texts_.find(cls);
    if (it == texts_.end()) {
        QStaticText t(cls == kNowText ? tr("now") : name(cls));
        t.setTextFormat(Qt::PlainText);
        t.prepare(QTransform(), font());
        it = texts_.emplace(cls, std::move(t)).first;
    }
    return it->second;
}

void LiveHistoryStrip::add(double seconds, int classIndex, float confidence) {
    entries_.push_back({seconds, classIndex, confidence});
    while (!entries_.empty() && entries_.front().t < seconds - span_) entries_.pop_front();
    update();
}

void LiveHistoryStrip::clear() {
    entries_.clear();
    update();
}

QString LiveHistoryStrip::name(int cls) const {
    if (cls < 0) return tr("no speech");
    return cls < int(labels_.size()) ? QString::fromStdString(labels_[size_t(cls)]) : QString::number(cls);
}

QStringList LiveHistoryStrip::runs() const {
    QStringList out;
    int last = -2;
    for (const Entry& e : entries_) {
        if (e.cls != last) out << name(e.cls);
        last = e.cls;
    }
    return out;
}

void LiveHistoryStrip::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    if (entries_.empty()) return;
    const double now = entries_.back().t;
    const double w = width();
    auto x = [&](double t) { return w * (1.0 - (now - t) / span_); };
    auto colour = [&](const Entry& e) {
        if (e.cls < 0) return palette().color(QPalette::Midlight);
        QColor c = QColor::fromHsv((e.cls * 360 / std::max<int>(1, int(labels_.size()))) % 360, 150, 230);
        c.setAlphaF(0.35 + 0.65 * double(e.confidence));
        return c;
    };
    // Bands first, then one label per run where it fits, so no band covers a label.
    struct Run {
        double x0, x1;
        int cls;
    };
    std::vector<Run> runs;
    for (size_t i = 0; i < entries_.size(); ++i) {
        const Entry& e = entries_[i];
        const double x0 = std::max(0.0, x(e.t));
        const double x1 = i + 1 < entries_.size() ? x(entries_[i + 1].t) : w;
        p.fillRect(QRectF(x0, 0, std::max(1.0, x1 - x0), height()), colour(e));
        if (runs.empty() || runs.back().cls != e.cls) runs.push_back({x0, x1, e.cls});
        else runs.back().x1 = x1;
    }
    p.setPen(palette().color(QPalette::Text));
    for (const Run& r : runs) {
        const QStaticText& label = text(r.cls);
        const QSizeF size = label.size();
        if (size.width() + 6 > r.x1 - r.x0) continue;
        p.drawStaticText(QPointF(r.x0 + 3, (height() - size.height()) / 2), label);
    }
    p.setPen(palette().color(QPalette::Mid));
    for (int s = 1; s < int(span_); ++s) p.drawLine(QPointF(x(now - s), height() - 6), QPointF(x(now - s), height()));
    const QStaticText& nowLabel = text(kNowText);
    p.drawStaticText(QPointF(w - 3 - nowLabel.size().width(), height() - nowLabel.size().height()), nowLabel);
}

}  // namespace s4scope::app
