#pragma once
// Audio > Scan settings: the keyword scan's threshold, hop, minimum run, speech gate and largest
// overlap (DESIGN.md §9), the options `s4scope-cli scan` takes, so the explorer's timeline and the
// command's agree when given the same values.
#include <QDialog>

#include "s4scope/scan.h"

class QDoubleSpinBox;

namespace s4scope::app {

class ScanSettingsDialog : public QDialog {
    Q_OBJECT
public:
    explicit ScanSettingsDialog(const ScanOptions& options, QWidget* parent = nullptr);
    // The options as edited (progress and cancel stay unset).
    ScanOptions options() const;

    QDoubleSpinBox* thresholdField() const { return threshold_; }
    QDoubleSpinBox* hopField() const { return hop_; }
    QDoubleSpinBox* minRunField() const { return minRun_; }
    QDoubleSpinBox* gateField() const { return gate_; }
    QDoubleSpinBox* overlapField() const { return overlap_; }

private:
    void setValues(const ScanOptions& options);

    ScanOptions base_;
    QDoubleSpinBox *threshold_, *hop_, *minRun_, *gate_, *overlap_;
};

// The scan options kept in the settings (defaults: ScanOptions{}), and saving them.
ScanOptions savedScanOptions();
void saveScanOptions(const ScanOptions& options);

}  // namespace s4scope::app
