#pragma once
// Faithfulness curves (DESIGN.md §10): the target probability as the most relevant frames are
// deleted (MoRF) and as only the most relevant are kept (insertion, read backwards: LeRF), one
// colour per method, the random-order reference dashed; optionally a third panel with ΔA_F per
// method (with error bars when the values are means). The plot draws what it is given.
#include <vector>

#include <QColor>
#include <QString>

#include "views/plot_widget.h"

namespace s4scope::views {

// The colour of the i-th method of an evaluation, shared by the curves, the table's swatches and
// the per-layer conservation plot.
QColor evaluationColour(int index);

struct EvaluationCurve {
    QString name;
    std::vector<double> fractions;            // k: the share of frames removed / kept
    std::vector<double> deletion, insertion;  // target probability at each k
};

struct EvaluationBar {
    QString name;
    double value = 0;
    double error = 0;  // ± (standard error); 0: none drawn
};

class EvaluationPlot : public PlotWidget {
    Q_OBJECT
public:
    explicit EvaluationPlot(QWidget* parent = nullptr);

    void setTitle(const QString& title);
    QString title() const;
    // One curve pair per method (colours by position) and the random reference (empty name: none).
    void setCurves(const std::vector<EvaluationCurve>& methods, const EvaluationCurve& reference);
    // ΔA_F per method and the reference's value (a dashed line); empty bars: the panel is hidden.
    void setSummary(const std::vector<EvaluationBar>& bars, double reference);
    void clear();

    int curveCount() const { return int(deletion_.size()); }
    // What is drawn: the graphs of method `index` (the reference's when index is -1).
    QCPGraph* deletionGraph(int index) const;
    QCPGraph* insertionGraph(int index) const;
    QCPAxisRect* deletionRect() const { return deletionRect_; }
    QCPAxisRect* insertionRect() const { return insertionRect_; }
    QCPAxisRect* summaryRect() const { return summaryRect_; }
    QCPLegend* curveLegend() const { return legend_; }

protected:
    void applyPlotTheme(const PlotTheme& theme) override;

private:
    void layOut(bool withSummary);
    QCPAxisRect* newRect(const QString& title, const QString& xLabel, const QString& yLabel);

    QCPTextElement* title_;
    QCPLayoutGrid* panels_;
    QCPAxisRect* deletionRect_;
    QCPAxisRect* insertionRect_;
    QCPAxisRect* summaryRect_;
    QCPLegend* legend_;
    QList<QCPTextElement*> panelTitles_;
    std::vector<QCPGraph*> deletion_, insertion_;
    QCPGraph* referenceDeletion_ = nullptr;
    QCPGraph* referenceInsertion_ = nullptr;
    QCPBars* bars_ = nullptr;
    QCPErrorBars* errors_ = nullptr;
    QCPItemStraightLine* referenceLine_ = nullptr;
    QCPItemText* placeholder_;
    bool summaryShown_ = false;
};

}  // namespace s4scope::views
