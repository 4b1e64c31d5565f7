#include "views/conservation_plot.h"

#include <algorithm>
#include <cmath>

#include "views/evaluation_plot.h"

namespace s4scope::views {

ConservationPlot::ConservationPlot(QWidget* parent) : PlotWidget(parent) {
    // The default axis rect stays (row 1); the title goes above it and the legend below.
    plotLayout()->insertRow(0);
    title_ = new QCPTextElement(this, tr("ΣR after each backward step (LRP)"), QFont(font().family(), font().pointSize(), QFont::Bold));
    plotLayout()->addElement(0, 0, title_);
    axisRect()->insetLayout()->take(legend);
    legend_ = legend;
    plotLayout()->addElement(2, 0, legend_);
    legend_->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    legend_->setWrap(2);
    legend_->setBorderPen(Qt::NoPen);
    legend_->setIconSize(28, 12);
    legend_->setVisible(false);
    plotLayout()->setRowStretchFactors({0.01, 1, 0.01});
    // Steps down the left side (readable names, logit on top), ΣR along the bottom.
    yAxis->setLabel(QString());
    xAxis->setLabel(tr("ΣR"));
    yAxis->setRangeReversed(true);
    yAxis->grid()->setVisible(false);
    placeholder_ = new QCPItemText(this);
    placeholder_->position->setType(QCPItemPosition::ptAxisRectRatio);
    placeholder_->position->setAxisRect(axisRect());
    placeholder_->position->setCoords(0.5, 0.5);
    placeholder_->setText(tr("No method with per-layer totals (the LRP rules) was evaluated"));
    setMinimumSize(320, 200);
    setLayers({});
    refreshTheme();
}

void ConservationPlot::setTitle(const QString& title) {
    title_->setText(title);
    replot(rpQueuedReplot);
}

void ConservationPlot::setLayers(const std::vector<LayerTotals>& methods) {
    clearGraphs();
    lines_.clear();
    expected_.clear();
    legend_->clearItems();
    stepNames_.clear();
    int steps = 1;
    double lo = INFINITY, hi = -INFINITY;
    for (const LayerTotals& m : methods) {
        steps = std::max(steps, int(m.steps.size()));
        if (m.steps.size() > stepNames_.size()) stepNames_ = m.steps;
        QVector<double> x, y;
        for (size_t i = 0; i < m.totals.size(); ++i) {
            x << double(i);
            y << m.totals[i];
            lo = std::min(lo, m.totals[i]);
            hi = std::max(hi, m.totals[i]);
        }
        QCPGraph* g = addGraph(yAxis, xAxis);
        g->setData(x, y, true);
        g->setPen(QPen(evaluationColour(m.colour), 2));
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, evaluationColour(m.colour), 6));
        g->setName(m.name);
        g->setSelectable(QCP::stNone);
        lines_.push_back(g);
        QCPGraph* e = addGraph(yAxis, xAxis);
        e->setData(QVector<double>{-0.5, double(m.totals.size()) - 0.5}, QVector<double>{m.expected, m.expected}, true);
        e->setPen(QPen(evaluationColour(m.colour), 1.2, Qt::DashLine));
        e->setName(tr("%1: target logit").arg(m.name));
        e->setSelectable(QCP::stNone);
        e->removeFromLegend();
        expected_.push_back(e);
        lo = std::min(lo, m.expected);
        hi = std::max(hi, m.expected);
    }
    yAxis->setRange(-0.5, steps - 0.5);
    relabelSteps();
    if (methods.empty()) {
        lo = 0, hi = 1;
    }
    const double pad = 0.1 * std::max(1e-6, hi - lo) + 0.05 * std::max(std::abs(lo), std::abs(hi));
    xAxis->setRange(lo - pad, hi + pad);
    placeholder_->setVisible(methods.empty());
    legend_->setVisible(!methods.empty());
    if (!methods.empty()) {
        // One shared note for the dashed lines instead of one entry per method.
        QCPGraph* key = expected_.front();
        key->addToLegend(legend_);
        if (auto* item = legend_->itemWithPlottable(key)) item->setTextColor(theme().text);
        key->setName(methods.size() == 1 ? tr("target logit (should be kept)") : tr("target logit (dashed)"));
    }
    replot(rpQueuedReplot);
}

QStringList ConservationPlot::shownStepLabels() const {
    QStringList shown;
    auto ticker = yAxis->ticker().dynamicCast<QCPAxisTickerText>();
    if (ticker)
        for (auto it = ticker->ticks().cbegin(); it != ticker->ticks().cend(); ++it) shown << it.value();
    return shown;
}

void ConservationPlot::relabelSteps() {
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    const int n = int(stepNames_.size());
    // The axis rect's height is known after the first layout; before that, the widget's.
    const int height = std::max(1, axisRect()->height() > 0 ? axisRect()->height() : this->height() / 2);
    const int lineHeight = QFontMetrics(yAxis->tickLabelFont()).height() + 2;
    const int fit = std::max(2, height / std::max(1, lineHeight));
    const int every = n <= fit ? 1 : int(std::ceil(double(n) / fit));
    for (int i = 0; i < n; ++i)
        if (i % every == 0 || i == n - 1) ticker->addTick(i, stepNames_[i]);
    if (every > 1 && n > 1 && (n - 1) % every != 0 && (n - 1) % every < every / 2 + 1) {
        // The last name (the input) is kept; drop the regular one just above it if they would touch.
        ticker->ticks().remove(double((n - 1) / every * every));
    }
    yAxis->setTicker(ticker);
}

void ConservationPlot::resizeEvent(QResizeEvent* event) {
    PlotWidget::resizeEvent(event);
    relabelSteps();
    replot(rpQueuedReplot);
}

void ConservationPlot::applyPlotTheme(const PlotTheme& theme) {
    PlotWidget::applyPlotTheme(theme);
    axisRect()->setBackground(theme.panel);
    legend_->setBrush(theme.background);
    legend_->setTextColor(theme.text);
    placeholder_->setColor(theme.text);
    title_->setTextColor(theme.text);
}

}  // namespace s4scope::views
