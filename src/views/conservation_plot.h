#pragma once
// LRP's conservation layer by layer: the relevance total ΣR after each backward step, from the
// logit down to the input, one line per method, against the value it should keep (the target
// logit, dashed). A step that loses or creates relevance shows as a jump away from the line.
#include <vector>

#include <QString>
#include <QStringList>

#include "views/plot_widget.h"

namespace s4scope::views {

struct LayerTotals {
    QString name;
    QStringList steps;           // "logit", ..., "input"
    std::vector<double> totals;  // ΣR after each step
    double expected = 0;         // the target logit
    int colour = 0;              // evaluationColour index (the method's colour in the curves)
};

class ConservationPlot : public PlotWidget {
    Q_OBJECT
public:
    explicit ConservationPlot(QWidget* parent = nullptr);

    void setTitle(const QString& title);
    // Empty: a note that no method with per-layer totals was evaluated.
    void setLayers(const std::vector<LayerTotals>& methods);

    int lineCount() const { return int(lines_.size()); }
    QCPGraph* line(int index) const { return lines_.at(size_t(index)); }
    // The step names shown on the left axis: every step when they fit, else every k-th (the first
    // and last always), so names never overlap at small heights.
    QStringList shownStepLabels() const;

protected:
    void applyPlotTheme(const PlotTheme& theme) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    QCPTextElement* title_;
    QCPLegend* legend_;
    std::vector<QCPGraph*> lines_;
    QStringList stepNames_;  // the longest method's steps, logit first
    void relabelSteps();
    std::vector<QCPGraph*> expected_;
    QCPItemText* placeholder_;
};

}  // namespace s4scope::views
