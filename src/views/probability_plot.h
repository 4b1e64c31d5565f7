#pragma once
// The classifier's output as bars: one per class, the predicted class highlighted and the
// explained (target) class outlined, with the probability written on each bar.
#include <string>
#include <vector>

#include "views/plot_widget.h"

namespace s4scope::views {

class ProbabilityPlot : public PlotWidget {
    Q_OBJECT
public:
    explicit ProbabilityPlot(QWidget* parent = nullptr);

    void setLabels(const std::vector<std::string>& labels);
    // `target` < 0: none outlined. Empty probabilities clear the bars.
    void setProbabilities(const std::vector<float>& probabilities, int predicted, int target);
    const std::vector<float>& probabilities() const { return probabilities_; }

protected:
    void applyPlotTheme(const PlotTheme& theme) override;

private:
    void redraw();

    QCPBars* bars_;
    QCPBars* predictedBar_;
    QCPItemRect* targetBox_;
    std::vector<QCPItemText*> values_;
    std::vector<std::string> labels_;
    std::vector<float> probabilities_;
    int predicted_ = -1;
    int target_ = -1;
};

}  // namespace s4scope::views
