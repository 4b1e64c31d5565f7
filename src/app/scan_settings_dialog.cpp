#include "app/scan_settings_dialog.h"

#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSettings>

namespace s4scope::app {
namespace {

QDoubleSpinBox* field(double low, double high, double step, int decimals, const QString& suffix, const QString& tip) {
    auto* box = new QDoubleSpinBox;
    box->setLocale(QLocale::c());  // the numbers read as the CLI's options and the exports write them
    box->setRange(low, high);
    box->setSingleStep(step);
    box->setDecimals(decimals);
    box->setSuffix(suffix);
    box->setToolTip(tip);
    return box;
}

}  // namespace

ScanSettingsDialog::ScanSettingsDialog(const ScanOptions& options, QWidget* parent) : QDialog(parent), base_(options) {
    setWindowTitle(tr("Keyword scan settings"));
    threshold_ = field(0, 1, 0.05, 2, QString(), tr("Top-class probability a window needs (s4scope-cli scan --threshold)"));
    hop_ = field(0.01, 1, 0.05, 2, tr(" s"), tr("Seconds between window starts (--hop)"));
    minRun_ = field(0, 2, 0.1, 2, tr(" s"),
                    tr("How long (in window starts) a detection must hold: drops words cut by the window's edge (--min-run)"));
    gate_ = field(-120, 0, 5, 1, tr(" dBFS"), tr("Speech gate: the level the loudest 100 ms of a window must reach (--gate-db)"));
    overlap_ = field(0, 1, 0.05, 2, QString(),
                     tr("A detection sharing more than this fraction of its span with a stronger one of another keyword is "
                        "dropped; 1 keeps all (--max-overlap)"));
    auto* form = new QFormLayout(this);
    auto* note = new QLabel(tr("A detection is a run of one-second windows with the same top class whose probability "
                               "reaches the threshold and whose level passes the gate."));
    note->setWordWrap(true);
    form->addRow(note);
    form->addRow(tr("&Threshold:"), threshold_);
    form->addRow(tr("&Hop:"), hop_);
    form->addRow(tr("&Minimum run:"), minRun_);
    form->addRow(tr("Speech &gate:"), gate_);
    form->addRow(tr("Largest &overlap:"), overlap_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::RestoreDefaults);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Scan"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons->button(QDialogButtonBox::RestoreDefaults), &QPushButton::clicked, this, [this] { setValues(ScanOptions{}); });
    form->addRow(buttons);
    setValues(options);
}

void ScanSettingsDialog::setValues(const ScanOptions& o) {
    threshold_->setValue(o.threshold);
    hop_->setValue(o.hopSeconds);
    minRun_->setValue(o.minRunSeconds);
    gate_->setValue(o.gateDb);
    overlap_->setValue(o.maxOverlap);
}

ScanOptions ScanSettingsDialog::options() const {
    ScanOptions o = base_;
    o.progress = nullptr;
    o.cancel = nullptr;
    o.threshold = threshold_->value();
    o.hopSeconds = hop_->value();
    o.minRunSeconds = minRun_->value();
    o.gateDb = gate_->value();
    o.maxOverlap = overlap_->value();
    return o;
}

ScanOptions savedScanOptions() {
    const QSettings s;
    ScanOptions o;
    o.threshold = s.value(QStringLiteral("scan/threshold"), o.threshold).toDouble();
    o.hopSeconds = s.value(QStringLiteral("scan/hop"), o.hopSeconds).toDouble();
    o.minRunSeconds = s.value(QStringLiteral("scan/minRun"), o.minRunSeconds).toDouble();
    o.gateDb = s.value(QStringLiteral("scan/gateDb"), o.gateDb).toDouble();
    o.maxOverlap = s.value(QStringLiteral("scan/maxOverlap"), o.maxOverlap).toDouble();
    return o;
}

void saveScanOptions(const ScanOptions& o) {
    QSettings s;
    s.setValue(QStringLiteral("scan/threshold"), o.threshold);
    s.setValue(QStringLiteral("scan/hop"), o.hopSeconds);
    s.setValue(QStringLiteral("scan/minRun"), o.minRunSeconds);
    s.setValue(QStringLiteral("scan/gateDb"), o.gateDb);
    s.setValue(QStringLiteral("scan/maxOverlap"), o.maxOverlap);
}

}  // namespace s4scope::app
