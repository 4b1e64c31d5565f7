#include "views/plot_widget.h"

namespace s4scope::views {

PlotWidget::PlotWidget(QWidget* parent) : QCustomPlot(parent), theme_(PlotTheme::fromPalette(palette())) {
    setAntialiasedElements(QCP::aeAll);
    setNotAntialiasedElements(QCP::aeGrid);
    setNoAntialiasingOnDrag(true);  // keeps panning fluid over 16000-point waveforms
    setPlottingHint(QCP::phCacheLabels, true);
    // Tick labels follow the widget's locale: in a German one 0.5 became "0,5", read as two numbers
    // next to "0.5" in the text the views write. Numbers on plots are C-locale everywhere.
    setLocale(QLocale::c());
    setFocusPolicy(Qt::StrongFocus);  // keyboard panning and zooming (TimeLinkedPlot)
}

void PlotWidget::applyPlotTheme(const PlotTheme& theme) {
    theme_ = theme;
    applyTheme(*this, theme);
}

void PlotWidget::refreshTheme() {
    applyPlotTheme(PlotTheme::fromPalette(palette()));
    replot(rpQueuedReplot);
}

void PlotWidget::exportFigure(const QString& path, const FigureOptions& options) {
    const PlotTheme screen = theme_;
    applyPlotTheme(PlotTheme::light());
    try {
        views::exportFigure(*this, path, options);
    } catch (...) {
        applyPlotTheme(screen);
        replot(rpQueuedReplot);
        throw;
    }
    applyPlotTheme(screen);
    replot(rpQueuedReplot);
}

void PlotWidget::changeEvent(QEvent* event) {
    QCustomPlot::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::ApplicationPaletteChange) refreshTheme();
}

void PlotWidget::resizeEvent(QResizeEvent* event) {
    followDevicePixelRatio();
    QCustomPlot::resizeEvent(event);
}

void PlotWidget::showEvent(QShowEvent* event) {
    followDevicePixelRatio();
    QCustomPlot::showEvent(event);
}

// QCustomPlot reads the ratio once at construction; a window moved to a high-DPI screen (or shown
// there first) needs its buffers re-created at the new ratio to stay sharp.
void PlotWidget::followDevicePixelRatio() {
    const double ratio = devicePixelRatioF();
    if (!qFuzzyCompare(bufferDevicePixelRatio(), ratio)) setBufferDevicePixelRatio(ratio);
}

}  // namespace s4scope::views
