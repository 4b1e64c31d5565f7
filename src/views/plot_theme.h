#pragma once
// Colours of the plot furniture (background, axes, labels, grid). On screen they follow the
// application palette so a dark desktop stays readable; exported figures always use the light theme.
#include <QColor>
#include <QPalette>

class QCustomPlot;

namespace s4scope::views {

struct PlotTheme {
    QColor background;  // around the axis rects
    QColor text;        // tick labels, axis labels, titles
    QColor grid;
    QColor panel;       // inside axis rects that have no colour map of their own
    QColor waveform;    // drawn over the relevance map: dark on paper, light on a dark panel
    QColor accent;      // highlights such as the predicted class
    QColor playhead;
    QColor relevanceZero;  // the colour of zero relevance: white on paper, the panel on a dark screen
    QColor crosshair;

    static PlotTheme light();
    static PlotTheme fromPalette(const QPalette& palette);
    bool isDark() const;
};

// Colours every axis, axis label, grid and text element of `plot`.
void applyTheme(QCustomPlot& plot, const PlotTheme& theme);

}  // namespace s4scope::views
