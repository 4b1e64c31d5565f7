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
    widthPt_ = settings.value(QStringLiteral("export/widthPt"), 900.0).toDouble();
    heightPt_ = settings.value(QStringLiteral("export/heightPt"), 600.0).toDouble();
    ui_->dpiSpin->setValue(settings.value(QStringLiteral("export/dpi"), 300).toInt());
    for (QSpinBox* box : {ui_->widthSpin, ui_->heightSpin}) box->setRange(16, 40000);
    const QString folder =
        clipFolder.isEmpty() ? settings.value(QStringLiteral("export/folder"), QDir::homePath()).toString() : clipFolder;
    const QString suffix = settings.value(QStringLiteral("export/suffix"), QStringLiteral("png")).toString();
    ui_->pathEdit->setText(QDir(folder).filePath(QStringLiteral("s4scope-figure.") + suffix));
    connect(ui_->browseButton, &QPushButton::clicked, this, &FigureExportDialog::browse);
    for (QSpinBox* box : {ui_->widthSpin, ui_->heightSpin})
        connect(box, qOverload<int>(&QSpinBox::valueChanged), this, &FigureExportDialog::sizeEdited);
    connect(ui_->dpiSpin, qOverload<int>(&QSpinBox::valueChanged), this, &FigureExportDialog::dpiEdited);
    connect(ui_->pathEdit, &QLineEdit::textChanged, this, &FigureExportDialog::showSize);
    connect(ui_->buttonBox, &QDialogButtonBox::accepted, this, &FigureExportDialog::accept);
    connect(ui_->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
    showSize();
}

FigureExportDialog::~FigureExportDialog() = default;

bool FigureExportDialog::isPng() const {
    return QFileInfo(path()).suffix().compare(QLatin1String("png"), Qt::CaseInsensitive) == 0;
}

void FigureExportDialog::showSize() {
    const bool png = isPng();
    const double perPoint = png ? ui_->dpiSpin->value() / 72.0 : 1.0;
    showing_ = true;
    ui_->widthSpin->setSuffix(png ? tr(" px wide") : tr(" pt wide"));
    ui_->heightSpin->setSuffix(png ? tr(" px high") : tr(" pt high"));
    const QString unit = png ? tr("PNG pixels (the DPI sets the size of text and lines in them)") : tr("points (1/72 inch)");
    ui_->widthSpin->setToolTip(tr("Figure width in %1").arg(unit));
    ui_->heightSpin->setToolTip(tr("Figure height in %1").arg(unit));
    ui_->widthSpin->setValue(qRound(widthPt_ * perPoint));
    ui_->heightSpin->setValue(qRound(heightPt_ * perPoint));
    showing_ = false;
    updatePixels();
}

void FigureExportDialog::sizeEdited() {
    if (showing_) return;
    const double perPoint = isPng() ? ui_->dpiSpin->value() / 72.0 : 1.0;
    widthPt_ = ui_->widthSpin->value() / perPoint;
    heightPt_ = ui_->heightSpin->value() / perPoint;
    updatePixels();
}

void FigureExportDialog::dpiEdited() {
    sizeEdited();  // a PNG's pixel counts stay as typed
}

FigureTarget FigureExportDialog::target() const { return FigureTarget(ui_->whatCombo->currentIndex()); }
QString FigureExportDialog::path() const { return ui_->pathEdit->text().trimmed(); }

views::FigureOptions FigureExportDialog::options() const {
    const double dpi = ui_->dpiSpin->value();
    if (isPng())
        return {qRound(views::logicalFromPixels(ui_->widthSpin->value(), dpi)),
                qRound(views::logicalFromPixels(ui_->heightSpin->value(), dpi)), dpi};
    return {qRound(views::logicalFromPoints(widthPt_)), qRound(views::logicalFromPoints(heightPt_)), dpi};
}

void FigureExportDialog::browse() {
    const QString chosen = QFileDialog::getSaveFileName(
        this, tr("Export figure"), path(), tr("PNG image (*.png);;SVG vector graphics (*.svg);;PDF document (*.pdf)"));
    if (!chosen.isEmpty()) ui_->pathEdit->setText(chosen);
}

void FigureExportDialog::updatePixels() {
    const bool png = isPng();
    ui_->dpiSpin->setEnabled(png);
    const QString inches = tr("%1 × %2 in").arg(widthPt_ / 72.0, 0, 'f', 2).arg(heightPt_ / 72.0, 0, 'f', 2);
    ui_->pixelsLabel->setText(png ? tr("PNG of %1 × %2 pixels at %3 DPI (%4)")
                                        .arg(ui_->widthSpin->value()).arg(ui_->heightSpin->value())
                                        .arg(ui_->dpiSpin->value()).arg(inches)
                                  : tr("%1 × %2 pt (%3), vector graphics; colour maps as lossless images")
                                        .arg(qRound(widthPt_)).arg(qRound(heightPt_)).arg(inches));
}

void FigureExportDialog::accept() {
    QSettings settings;
    settings.setValue(QStringLiteral("export/widthPt"), widthPt_);
    settings.setValue(QStringLiteral("export/heightPt"), heightPt_);
    settings.setValue(QStringLiteral("export/dpi"), ui_->dpiSpin->value());
    settings.setValue(QStringLiteral("export/folder"), QFileInfo(path()).absolutePath());
    settings.setValue(QStringLiteral("export/suffix"), QFileInfo(path()).suffix().toLower());
    QDialog::accept();
}

}  // namespace s4scope::app
