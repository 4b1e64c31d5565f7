#include "views/plot_theme.h"

#include <qcustomplot.h>

namespace s4scope::views {

PlotTheme PlotTheme::light() {
    PlotTheme t;
    t.background = Qt::white;
    t.text = QColor(0x20, 0x20, 0x20);
    t.grid = QColor(0, 0, 0, 40);
    t.panel = Qt::white;
    t.waveform = QColor(0x20, 0x20, 0x20, 190);  // lets the relevance band show through dense speech
    t.accent = QColor(0xd6, 0x60, 0x4d);
    t.playhead = QColor(0x00, 0x9e, 0x73);
    t.relevanceZero = Qt::white;
    t.crosshair = QColor(0x30, 0x30, 0x30, 170);
    return t;
}

PlotTheme PlotTheme::fromPalette(const QPalette& palette) {
    PlotTheme t = light();
    t.background = palette.color(QPalette::Window);
    t.text = palette.color(QPalette::WindowText);
    t.panel = palette.color(QPalette::Base);
    QColor grid = t.text;
    grid.setAlpha(45);
    t.grid = grid;
    if (t.isDark()) {
        t.accent = QColor(0xf4, 0xa5, 0x82);
        // Dark panels behind the waveform and the relevance strip too (they stayed white), with a
        // light trace and a relevance map centred on the panel colour.
        t.relevanceZero = t.panel;
        t.waveform = QColor(0xe8, 0xe8, 0xe8, 200);
        t.crosshair = QColor(0xf0, 0xf0, 0xf0, 170);
    }
    return t;
}

bool PlotTheme::isDark() const { return background.lightnessF() < 0.5; }

void applyTheme(QCustomPlot& plot, const PlotTheme& theme) {
    plot.setBackground(theme.background);
    const QPen axisPen(theme.text, 1);
    auto styleAxis = [&](QCPAxis* axis) {
        axis->setBasePen(axisPen);
        axis->setTickPen(axisPen);
        axis->setSubTickPen(axisPen);
        axis->setTickLabelColor(theme.text);
        axis->setLabelColor(theme.text);
        axis->grid()->setPen(QPen(theme.grid, 1, Qt::DotLine));
        axis->grid()->setZeroLinePen(Qt::NoPen);
    };
    for (QCPAxisRect* rect : plot.axisRects())
        for (QCPAxis* axis : rect->axes()) styleAxis(axis);
    const QList<QCPLayoutElement*> elements = plot.plotLayout()->elements(true);
    for (QCPLayoutElement* element : elements) {
        if (auto* title = qobject_cast<QCPTextElement*>(element)) title->setTextColor(theme.text);
        if (auto* scale = qobject_cast<QCPColorScale*>(element)) styleAxis(scale->axis());
    }
}

}  // namespace s4scope::views
