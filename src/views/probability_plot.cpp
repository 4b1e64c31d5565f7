#include "views/probability_plot.h"

namespace s4scope::views {

ProbabilityPlot::ProbabilityPlot(QWidget* parent) : PlotWidget(parent) {
    bars_ = new QCPBars(xAxis, yAxis);
    predictedBar_ = new QCPBars(xAxis, yAxis);  // drawn over the grey bar of the predicted class
    for (QCPBars* b : {bars_, predictedBar_}) {
        b->setWidth(0.7);
        b->setSelectable(QCP::stNone);
    }
    targetBox_ = new QCPItemRect(this);
    targetBox_->setBrush(Qt::NoBrush);
    targetBox_->setVisible(false);
    xAxis->setLabel(tr("class"));
    yAxis->setLabel(tr("probability (%)"));
    yAxis->setRange(0, 112);  // room for the value above a full bar
    xAxis->grid()->setVisible(false);
    // Class ticks point down, out of the plot: drawn inward they ran through the decimal point of
    // a near-zero bar's "0.0" label and made it read as "0,0".
    xAxis->setTickLength(0, 4);
    xAxis->setSubTicks(false);
    setMinimumSize(260, 160);
    setLabels({});
    refreshTheme();
}

void ProbabilityPlot::setLabels(const std::vector<std::string>& labels) {
    labels_ = labels;
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (size_t i = 0; i < labels.size(); ++i) ticker->addTick(double(i), QString::fromStdString(labels[i]));
    xAxis->setTicker(ticker);
    xAxis->setRange(-0.6, std::max<double>(1, double(labels.size())) - 0.4);
    setProbabilities({}, -1, -1);
}

void ProbabilityPlot::setProbabilities(const std::vector<float>& probabilities, int predicted, int target) {
    probabilities_ = probabilities;
    predicted_ = predicted;
    target_ = target;
    redraw();
}

void ProbabilityPlot::redraw() {
    QVector<double> keys, values;
    for (size_t i = 0; i < probabilities_.size(); ++i) {
        keys << double(i);
        values << 100.0 * probabilities_[i];
    }
    bars_->setData(keys, values, true);
    predictedBar_->data()->clear();
    if (predicted_ >= 0 && predicted_ < int(probabilities_.size()))
        predictedBar_->addData(predicted_, 100.0 * probabilities_[size_t(predicted_)]);

    for (QCPItemText* t : values_) removeItem(t);
    values_.clear();
    for (size_t i = 0; i < probabilities_.size(); ++i) {
        auto* text = new QCPItemText(this);
        text->position->setCoords(double(i), 100.0 * probabilities_[i]);
        text->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
        text->setPadding(QMargins(0, 0, 0, 3));  // clear of the axis line for near-zero bars
        text->setText(QString::number(100.0 * probabilities_[i], 'f', probabilities_[i] < 0.1 ? 1 : 0));
        text->setColor(theme().text);
        text->setSelectable(false);
        values_.push_back(text);
    }
    targetBox_->setVisible(target_ >= 0 && target_ < int(probabilities_.size()) && target_ != predicted_);
    if (targetBox_->visible()) {
        targetBox_->topLeft->setCoords(target_ - 0.42, 100.0 * probabilities_[size_t(target_)] + 0.5);
        targetBox_->bottomRight->setCoords(target_ + 0.42, 0);
    }
    replot(rpQueuedReplot);
}

void ProbabilityPlot::applyPlotTheme(const PlotTheme& theme) {
    PlotWidget::applyPlotTheme(theme);
    axisRect()->setBackground(theme.panel);
    QColor grey = theme.text;
    grey.setAlpha(110);
    bars_->setPen(Qt::NoPen);
    bars_->setBrush(grey);
    predictedBar_->setPen(Qt::NoPen);
    predictedBar_->setBrush(theme.accent);
    targetBox_->setPen(QPen(theme.text, 1.5, Qt::DashLine));
    for (QCPItemText* t : values_) t->setColor(theme.text);
}

}  // namespace s4scope::views
