#pragma once
// Asks which figure to export, where, at what size and (for PNG) at what DPI; remembers the
// choices in QSettings.
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
    FigureExportDialog(FigureTarget initial, QWidget* parent = nullptr);
    ~FigureExportDialog() override;

    FigureTarget target() const;
    QString path() const;
    views::FigureOptions options() const;
    void accept() override;  // also stores the choices

private:
    void browse();
    void updatePixels();

    std::unique_ptr<Ui::FigureExportDialog> ui_;
};

}  // namespace s4scope::app
