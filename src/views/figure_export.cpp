#include "views/figure_export.h"

#include <QFileInfo>
#include <QPageSize>
#include <QPdfWriter>
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

// A PDF page exactly the figure's physical size (width/96 inch: the same size as the PNG's
// pixels / DPI and the SVG's), drawn as vectors. Colour maps (the spectrogram) are images: the
// lossless hint keeps Qt from encoding them as JPEG. QCustomPlot's savePdf made the page `width`
// points (1/72 inch) instead, a third larger than the other formats, and let images go lossy.
bool writePdf(QCustomPlot& plot, const QString& path, const FigureOptions& options) {
    QPdfWriter writer(path);
    writer.setCreator(QStringLiteral("s4scope"));
    writer.setTitle(QStringLiteral("s4scope figure"));
    writer.setResolution(96);  // one logical pixel per device unit
    writer.setPageMargins(QMarginsF(0, 0, 0, 0));
    writer.setPageSize(QPageSize(QSizeF(options.width * 72.0 / 96.0, options.height * 72.0 / 96.0), QPageSize::Point,
                                 QString(), QPageSize::ExactMatch));
    QCPPainter painter;
    if (!painter.begin(&writer)) return false;
    painter.setRenderHint(QPainter::LosslessImageRendering);
    painter.setMode(QCPPainter::pmVectorized);
    painter.setMode(QCPPainter::pmNonCosmetic);  // line widths scale with the page, as in savePdf(epNoCosmetic)
    plot.toPainter(&painter, options.width, options.height);
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
        ok = writePdf(plot, path, options);
        break;
    case FigureFormat::Svg:
        ok = writeSvg(plot, path, options);
        break;
    }
    if (!ok || !QFileInfo(path).isFile() || QFileInfo(path).size() == 0)
        throw Error(path.toStdString() + ": could not write the figure (is the folder writable?)");
}

}  // namespace s4scope::views
