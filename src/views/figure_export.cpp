#include "views/figure_export.h"

#include <QFileInfo>
#include <QSvgGenerator>
#include <qcustomplot.h>

#include "s4scope/error.h"

namespace s4scope::views {

FigureFormat figureFormatFor(const QString& path) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("png")) return FigureFormat::Png;
    if (suffix == QLatin1String("svg")) return FigureFormat::Svg;
    if (suffix == QLatin1String("pdf")) return FigureFormat::Pdf;
    throw Error(path.toStdString() + ": unknown figure format '" + suffix.toStdString() +
                "' (use .png, .svg or .pdf)");
}

namespace {

bool writeSvg(QCustomPlot& plot, const QString& path, const FigureOptions& options) {
    QSvgGenerator generator;
    generator.setFileName(path);
    generator.setSize(QSize(options.width, options.height));
    generator.setViewBox(QRect(0, 0, options.width, options.height));
    generator.setResolution(96);
    generator.setTitle(QStringLiteral("s4scope figure"));
    QCPPainter painter;
    if (!painter.begin(&generator)) return false;
    plot.toPainter(&painter, options.width, options.height);  // vector drawing, not a screenshot
    return painter.end();
}

}  // namespace

void exportFigure(QCustomPlot& plot, const QString& path, const FigureOptions& options) {
    const FigureFormat format = figureFormatFor(path);
    if (options.width < 16 || options.height < 16 || options.dpi < 24 || options.dpi > 2400)
        throw Error(path.toStdString() + ": figure size or DPI out of range");
    bool ok = false;
    switch (format) {
    case FigureFormat::Png:
        ok = plot.savePng(path, options.width, options.height, options.dpi / 96.0, -1, int(options.dpi),
                          QCP::ruDotsPerInch);
        break;
    case FigureFormat::Pdf:
        ok = plot.savePdf(path, options.width, options.height, QCP::epNoCosmetic, QStringLiteral("s4scope"),
                          QStringLiteral("s4scope figure"));
        break;
    case FigureFormat::Svg:
        ok = writeSvg(plot, path, options);
        break;
    }
    if (!ok || !QFileInfo(path).isFile() || QFileInfo(path).size() == 0)
        throw Error(path.toStdString() + ": could not write the figure (is the folder writable?)");
}

}  // namespace s4scope::views
