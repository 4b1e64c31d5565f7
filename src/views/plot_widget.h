#pragma once
// Base of every s4scope plot: follows the palette (light or dark), stays sharp on high-DPI
// screens, and exports itself as a light-themed publication figure.
#include <qcustomplot.h>

#include "views/figure_export.h"
#include "views/plot_theme.h"

namespace s4scope::views {

class PlotWidget : public QCustomPlot {
    Q_OBJECT
public:
    explicit PlotWidget(QWidget* parent = nullptr);

    // Renders with the light theme whatever the screen shows. Throws s4scope::Error on failure.
    void exportFigure(const QString& path, const FigureOptions& options);
    const PlotTheme& theme() const { return theme_; }

protected:
    // Subclasses colour their own plottables and items here, after calling the base.
    virtual void applyPlotTheme(const PlotTheme& theme);
    // Re-applies the palette's theme; subclasses call it at the end of their constructor.
    void refreshTheme();

    void changeEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void followDevicePixelRatio();
    PlotTheme theme_;
};

}  // namespace s4scope::views
