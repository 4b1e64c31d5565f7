#include "app/figure_export_dialog.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QPushButton>
#include <QSettings>

#include "ui_figure_export_dialog.h"

namespace s4scope::app {

FigureExportDialog::FigureExportDialog(FigureTarget initial, QWidget* parent, const QString& clipFolder)
    : QDialog(parent), ui_(std::make_unique<Ui::FigureExportDialog>()) {
    ui_->setupUi(this);
    QSettings settings;
    ui_->whatCombo->setCurrentIndex(int(initial));
    ui_->widthSpin->setValue(settings.value(QStringLiteral("export/width"), 1200).toInt());
    ui_->heightSpin->setValue(settings.value(QStringLiteral("export/height"), 800).toInt());
    ui_->dpiSpin->setValue(settings.value(QStringLiteral("export/dpi"), 300).toInt());
    const QString folder =
        clipFolder.isEmpty() ? settings.value(QStringLiteral("export/folder"), QDir::homePath()).toString() : clipFolder;
    const QString suffix = settings.value(QStringLiteral("export/suffix"), QStringLiteral("png")).toString();
    ui_->pathEdit->setText(QDir(folder).filePath(QStringLiteral("s4scope-figure.") + suffix));
    connect(ui_->browseButton, &QPushButton::clicked, this, &FigureExportDialog::browse);
    for (QSpinBox* box : {ui_->widthSpin, ui_->heightSpin, ui_->dpiSpin})
        connect(box, qOverload<int>(&QSpinBox::valueChanged), this, &FigureExportDialog::updatePixels);
    connect(ui_->pathEdit, &QLineEdit::textChanged, this, &FigureExportDialog::updatePixels);
    connect(ui_->buttonBox, &QDialogButtonBox::accepted, this, &FigureExportDialog::accept);
    connect(ui_->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
    updatePixels();
}

FigureExportDialog::~FigureExportDialog() = default;

FigureTarget FigureExportDialog::target() const { return FigureTarget(ui_->whatCombo->currentIndex()); }
QString FigureExportDialog::path() const { return ui_->pathEdit->text().trimmed(); }

views::FigureOptions FigureExportDialog::options() const {
    return {ui_->widthSpin->value(), ui_->heightSpin->value(), double(ui_->dpiSpin->value())};
}

void FigureExportDialog::browse() {
    const QString chosen = QFileDialog::getSaveFileName(
        this, tr("Export figure"), path(), tr("PNG image (*.png);;SVG vector graphics (*.svg);;PDF document (*.pdf)"));
    if (!chosen.isEmpty()) ui_->pathEdit->setText(chosen);
}

void FigureExportDialog::updatePixels() {
    const bool png = QFileInfo(path()).suffix().compare(QLatin1String("png"), Qt::CaseInsensitive) == 0;
    const auto o = options();
    ui_->dpiSpin->setEnabled(png);
    ui_->pixelsLabel->setText(png ? tr("PNG of %1 × %2 pixels").arg(qRound(o.width * o.dpi / 96)).arg(qRound(o.height * o.dpi / 96))
                                  : tr("vector graphics: sharp at any size"));
}

void FigureExportDialog::accept() {
    QSettings settings;
    settings.setValue(QStringLiteral("export/width"), ui_->widthSpin->value());
    settings.setValue(QStringLiteral("export/height"), ui_->heightSpin->value());
    settings.setValue(QStringLiteral("export/dpi"), ui_->dpiSpin->value());
    settings.setValue(QStringLiteral("export/folder"), QFileInfo(path()).absolutePath());
    settings.setValue(QStringLiteral("export/suffix"), QFileInfo(path()).suffix().toLower());
    QDialog::accept();
}

}  // namespace s4scope::app
