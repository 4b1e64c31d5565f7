#include "app/action_icons.h"

#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace s4scope::app {
namespace {

void drawGlyph(QPainter& p, ActionGlyph glyph, const QColor& colour) {
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(colour);
    switch (glyph) {
    case ActionGlyph::Play: {
        QPainterPath triangle;
        triangle.moveTo(9, 6);
        triangle.lineTo(26, 16);
        triangle.lineTo(9, 26);
        triangle.closeSubpath();
        p.drawPath(triangle);
        break;
    }
    case ActionGlyph::Explain: {  // a waveform with a highlighted stretch
        p.setBrush(QColor(0xd6, 0x60, 0x4d, 150));
        p.drawRect(QRectF(11, 5, 10, 22));
        p.setPen(QPen(colour, 2.2, Qt::SolidLine, Qt::RoundCap));
        const double heights[] = {4, 9, 16, 20, 12, 7, 3};
        for (int i = 0; i < 7; ++i) p.drawLine(QPointF(4 + 4 * i, 16 - heights[i] / 2), QPointF(4 + 4 * i, 16 + heights[i] / 2));
        break;
    }
    case ActionGlyph::Record:
        p.setBrush(QColor(0xd0, 0x30, 0x30));
        p.drawEllipse(QPointF(16, 16), 9, 9);
        break;
    case ActionGlyph::Compare:  // three stacked rows
        for (int i = 0; i < 3; ++i) p.drawRoundedRect(QRectF(5, 5 + 8 * i, 22, 6), 1.5, 1.5);
        break;
    case ActionGlyph::Cancel:
        p.setPen(QPen(colour, 3.2, Qt::SolidLine, Qt::RoundCap));
        p.drawLine(QPointF(9, 9), QPointF(23, 23));
        p.drawLine(QPointF(23, 9), QPointF(9, 23));
        break;
    }
}

}  // namespace

QIcon actionIcon(ActionGlyph glyph, const QColor& colour) {
    QIcon icon;
    for (qreal ratio : {1.0, 2.0}) {  // both resolutions: the style picks the sharp one on high-DPI screens
        QPixmap pixmap(QSize(32, 32) * ratio);
        pixmap.setDevicePixelRatio(ratio);
        pixmap.fill(Qt::transparent);
        QPainter p(&pixmap);
        drawGlyph(p, glyph, colour);
        p.end();
        icon.addPixmap(pixmap);
        QColor disabled = colour;
        disabled.setAlpha(90);
        QPixmap faded(pixmap.size());
        faded.setDevicePixelRatio(ratio);
        faded.fill(Qt::transparent);
        QPainter q(&faded);
        drawGlyph(q, glyph, disabled);
        q.end();
        icon.addPixmap(faded, QIcon::Disabled);
    }
    return icon;
}

}  // namespace s4scope::app
