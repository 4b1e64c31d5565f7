#pragma once
// Figures out of a QCustomPlot: PNG at a chosen size and DPI, SVG and PDF as vector graphics.
#include <QString>

class QCustomPlot;

namespace s4scope::views {

struct FigureOptions {
    int width = 1200;   // logical pixels (1/96 inch); PNG pixels are width * dpi / 96
    int height = 800;
    double dpi = 192;   // PNG only: sets the pixel density and the file's resolution tag
};

enum class FigureFormat { Png, Svg, Pdf };

// By extension (.png, .svg, .pdf, case-insensitive). Throws s4scope::Error for any other.
FigureFormat figureFormatFor(const QString& path);

// Renders `plot` at the requested size into `path`. Throws s4scope::Error naming the path when
// the format is unknown or the file cannot be written.
void exportFigure(QCustomPlot& plot, const QString& path, const FigureOptions& options);

}  // namespace s4scope::views
