// MainWindow: time–frequency relevance beyond its own tab (issue 17): one TF row per method in the
// comparison grid, on shared colour ranges when the grid's scale is shared. The explorer computes
// R[f,t] with the comparison on its worker; this only asks for it and hands it to the grid.
#include <QCheckBox>
#include <QFormLayout>
#include <QSettings>

#include "app/main_window.h"
#include "ui_main_window.h"
#include "views/comparison_plot.h"

namespace s4scope::app {

void MainWindow::setUpTimeFrequency() {
    auto* rows = new QCheckBox(tr("Time–frequency rows"), this);
    rows->setObjectName(QStringLiteral("tfRowsCheck"));
    rows->setToolTip(tr("Under each method's row, its relevance in time and frequency R[f,t] over the clip's "
                        "spectrogram (DESIGN §8); on one colour range for all methods while the scale is shared"));
    ui_->comparisonOptions->insertRow(1, rows);
    connect(rows, &QCheckBox::toggled, this, [this](bool on) {
        QSettings().setValue(QStringLiteral("comparison/timeFrequencyRows"), on);
        explorer_->setComparisonTimeFrequency(on);
        comparisonPlot()->setTimeFrequencyShown(on);
        if (on && !explorer_->comparison().empty() && explorer_->comparisonTf().maps.size() == explorer_->comparison().size())
            showComparison();
    });
    connect(explorer_, &Explorer::comparisonTfReady, this, &MainWindow::showComparison);
    rows->setChecked(QSettings().value(QStringLiteral("comparison/timeFrequencyRows"), false).toBool());
}

}  // namespace s4scope::app
