#include "views/agreement_plot.h"

#include <cmath>

#include "views/colour_maps.h"

namespace s4scope::views {

AgreementPlot::AgreementPlot(QWidget* parent) : PlotWidget(parent) {
    title_ = new QCPTextElement(this, QString(), QFont(font().family(), font().pointSize(), QFont::Bold));
    plotLayout()->insertRow(0);
    plotLayout()->addElement(0, 0, title_);
    map_ = new QCPColorMap(xAxis, yAxis);
    map_->setGradient(relevanceGradient());
    map_->setInterpolate(false);
    map_->setSelectable(QCP::stNone);
    scale_ = new QCPColorScale(this);
    plotLayout()->addElement(1, 1, scale_);
    scale_->setBarWidth(12);
    map_->setColorScale(scale_);  // the map adopts the scale's gradient: set it on the scale
    scale_->setGradient(relevanceGradient());
    map_->setDataRange(QCPRange(-1, 1));
    auto* group = new QCPMarginGroup(this);
    axisRect()->setMarginGroup(QCP::msTop | QCP::msBottom, group);
    scale_->setMarginGroup(QCP::msTop | QCP::msBottom, group);
    xAxis->setTickLabelRotation(40);
    xAxis->setLabel(tr("method"));
    yAxis->setLabel(tr("method"));
    yAxis->setRangeReversed(true);  // first method at the top, like a table
    for (QCPAxis* axis : {xAxis, yAxis}) {
        axis->grid()->setVisible(false);
        // Ticks point outwards: drawn inside, a tick beside a cell's value read as a minus sign.
        axis->setTickLength(0, 4);
        axis->setSubTickLength(0, 0);
    }
    setMinimumSize(280, 260);
    setCorrelation(Correlation::Pearson);
    refreshTheme();
}

void AgreementPlot::setAgreement(const QStringList& names, const signal::Agreement& agreement) {
    names_ = names;
    agreement_ = agreement;
    redraw();
}

void AgreementPlot::setCorrelation(Correlation kind) {
    kind_ = kind;
    const QString symbol = kind == Correlation::Pearson ? tr("Pearson r") : tr("Spearman ρ");
    scale_->axis()->setLabel(symbol);
    title_->setText(tr("Method agreement (%1)").arg(symbol));
    redraw();
}

void AgreementPlot::redraw() {
    matrix_ = agreement_.of(kind_);
    const int n = names_.size();
    if (matrix_.size() != size_t(n) * size_t(n)) matrix_.assign(size_t(n) * size_t(n), std::nan(""));
    for (QCPItemText* t : cellTexts_) removeItem(t);
    cellTexts_.clear();
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (int i = 0; i < names_.size(); ++i) ticker->addTick(i, names_[i]);
    xAxis->setTicker(ticker);
    yAxis->setTicker(ticker);
    const double extent = std::max(1, n) - 0.5;
    xAxis->setRange(-0.5, extent);
    yAxis->setRange(-0.5, extent);
    map_->data()->setSize(std::max(n, 1), std::max(n, 1));
    map_->data()->setRange(QCPRange(0, std::max(n - 1, 1)), QCPRange(0, std::max(n - 1, 1)));
    if (n == 0) map_->data()->fill(std::nan(""));
    QCPColorGradient gradient = relevanceGradient();  // color() is not const in QCustomPlot 2.1
    for (int i = 0; i < n; ++i) {
        for (int j = 0; j < n; ++j) {
            const double r = matrix_[size_t(i * n + j)];
            map_->data()->setCell(j, i, r);  // key = column j, value = row i
            auto* text = new QCPItemText(this);
            text->position->setCoords(j, i);
            text->setText(std::isnan(r) ? QStringLiteral("–") : QString::number(std::abs(r) < 0.005 ? 0.0 : r, 'f', 2));  // no "-0.00"
            const QRgb cell = std::isnan(r) ? qRgb(255, 255, 255) : gradient.color(r, QCPRange(-1, 1));
            text->setColor(contrastingText(QColor(cell)));
            text->setSelectable(false);
            QFont f = font();
            f.setPointSizeF(n > 7 ? f.pointSizeF() * 0.8 : f.pointSizeF());
            text->setFont(f);
            cellTexts_.push_back(text);
        }
    }
    replot(rpQueuedReplot);
}

void AgreementPlot::applyPlotTheme(const PlotTheme& theme) {
    PlotWidget::applyPlotTheme(theme);
    axisRect()->setBackground(theme.panel);
}

}  // namespace s4scope::views
