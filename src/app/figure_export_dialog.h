#pragma once
// Asks which figure to export, where, at what size and (for PNG) at what DPI; remembers the
// choices in QSettings. Units say what they are: a PNG's size is in pixels (with its DPI), an SVG's
// or PDF's in points (1/72 inch). The dialog keeps the physical size when the format changes.
#include <memory>

#include <QDialog>

#include "views/figure_export.h"

namespace Ui {
class FigureExportDialog;
}

namespace s4scope::app {

enum class FigureTarget { Explanation = 0, Comparison = 1, Agreement = 2, Probabilities = 3, TimeFrequency = 4 };

class FigureExportDialog : public QDialog {
    Q_OBJECT
public:
    // clipFolder: where the path starts (the current clip's folder); empty: the last export folder.
    FigureExportDialog(FigureTarget initial, QWidget* parent = nullptr, const QString& clipFolder = QString());
    ~FigureExportDialog() override;

    FigureTarget target() const;
    QString path() const;
    views::FigureOptions options() const;
    void accept() override;  // also stores the choices

private:
    void browse();
    void updatePixels();
    bool isPng() const;
    void showSize();      // the spin boxes in the current format's unit
    void sizeEdited();    // the user changed a spin box: the physical size follows
    void dpiEdited();     // a PNG keeps its pixels: the physical size follows

    double widthPt_ = 900, heightPt_ = 600;  // the figure's physical size, points
    bool showing_ = false;

    std::unique_ptr<Ui::FigureExportDialog> ui_;
};

}  // namespace s4scope::app
