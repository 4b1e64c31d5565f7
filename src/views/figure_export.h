#pragma once
// Figures out of a QCustomPlot: PNG at a chosen size and DPI, SVG and PDF as vector graphics
// (colour maps inside them as lossless images).
#include <QString>

class QCustomPlot;

namespace s4scope::views {

// One size for every format: the figure is width/96 by height/96 inches (logical pixels of 1/96
// inch, as on a standard screen), laid out at width x height. A PNG has width * dpi / 96 pixels and
// says dpi in its header; an SVG states the physical size; a PDF page is width * 72/96 points.
struct FigureOptions {
    int width = 1200;   // logical pixels (1/96 inch)
    int height = 800;
    double dpi = 192;   // PNG only: sets the pixel density and the file's resolution tag
};
// The conversions the export dialog shows: a size in points (1/72 inch) or in PNG pixels at `dpi`.
inline double logicalFromPoints(double points) { return points * 96.0 / 72.0; }
inline double logicalFromPixels(double pixels, double dpi) { return pixels * 96.0 / dpi; }

enum class FigureFormat { Png, Svg, Pdf };

// By extension (.png, .svg, .pdf, case-insensitive). Throws s4scope::Error for any other.
FigureFormat figureFormatFor(const QString& path);

// Renders `plot` at the requested size into `path`. Throws s4scope::Error naming the path when
// the format is unknown or the file cannot be written.
void exportFigure(QCustomPlot& plot, const QString& path, const FigureOptions& options);

}  // namespace s4scope::views
