#pragma once
// How much the methods of a comparison agree: the correlation of every pair of relevance maps
// (Pearson or Spearman) as a heat map on the diverging scale -1 .. 1, each cell labelled with its value.
#include <vector>

#include <QStringList>

#include "signal/correlation.h"
#include "views/plot_widget.h"

namespace s4scope::views {

using Correlation = signal::Correlation;  // Pearson or Spearman, computed by the signal library

class AgreementPlot : public PlotWidget {
    Q_OBJECT
public:
    explicit AgreementPlot(QWidget* parent = nullptr);

    // The methods' names and their agreement, computed elsewhere (signal::agreementOf, on a worker).
    void setAgreement(const QStringList& names, const signal::Agreement& agreement);
    void setCorrelation(Correlation kind);
    Correlation correlation() const { return kind_; }
    // Row-major n x n, as drawn.
    const std::vector<double>& matrix() const { return matrix_; }
    QStringList names() const { return names_; }

protected:
    void applyPlotTheme(const PlotTheme& theme) override;

private:
    void redraw();

    QCPColorMap* map_;
    QCPColorScale* scale_;
    QCPTextElement* title_;
    std::vector<QCPItemText*> cellTexts_;
    QStringList names_;
    signal::Agreement agreement_;
    std::vector<double> matrix_;
    Correlation kind_ = Correlation::Pearson;
};

}  // namespace s4scope::views
