#pragma once
// How much the methods of a comparison agree (DESIGN.md §10): every pair of relevance maps compared
// at a chosen time scale (per sample, 1 ms, 10 ms — the default — or 50 ms frames) by Pearson's r,
// Spearman's ρ or the overlap of their top-k % frames, as a heat map on the diverging scale -1 .. 1.
// Everything is computed elsewhere (signal::agreementOf, on a worker); the plot only picks a matrix.
// It stays readable from 2 to 22 methods: cell values are drawn only where a cell is large enough
// for them (and shrink with it), method labels shrink and turn upright as cells narrow, and hovering
// a cell shows its pair and value. Rows and columns can follow the clustering order.
#include <utility>
#include <vector>

#include <QStringList>

#include "signal/correlation.h"
#include "views/plot_widget.h"

namespace s4scope::views {

using Correlation = signal::Correlation;  // Pearson, Spearman or top-k overlap

class AgreementPlot : public PlotWidget {
    Q_OBJECT
public:
    explicit AgreementPlot(QWidget* parent = nullptr);

    // The methods' names and their agreement, computed elsewhere (signal::agreementOf, on a worker).
    void setAgreement(const QStringList& names, const signal::Agreement& agreement);
    void setCorrelation(Correlation kind);
    Correlation correlation() const { return kind_; }
    int scale() const { return scale_; }
    bool clustered() const { return clustered_; }

    // Row-major n x n in display order (clustered or not), and the names in that order.
    const std::vector<double>& matrix() const { return matrix_; }
    QStringList names() const;
    // The cell values drawn as text (false when the cells are too small for them).
    bool cellTextShown() const { return textShown_; }
    // What hovering the cell at (row, column) of the display shows; empty outside the matrix.
    QString cellToolTip(int row, int column) const;
    // The cell under a widget position, or (-1, -1).
    QPoint cellAt(const QPointF& position) const;
    // The title as drawn (broken into two lines and shrunk when the width needs it) and where its
    // text lies in the widget.
    QString title() const;
    QRect titleTextRect() const;

public slots:
    void setScale(int index);  // index into signal::agreementScales (0 per sample .. 3 50 ms)
    void setClustered(bool clustered);

protected:
    void applyPlotTheme(const PlotTheme& theme) override;
    bool event(QEvent* event) override;
    void updateLayout() override;

private:
    void redraw();
    bool fitText();   // cell text and tick labels for the current cell size; true: their size changed
    bool fitTitle();  // the title for the current width; true: it changed
    QString measureName() const;

    QCPColorMap* map_;
    QCPColorScale* colourScale_;
    QCPTextElement* title_;
    std::vector<QCPItemText*> cellTexts_;
    QStringList names_;             // in the comparison's order
    std::vector<int> order_;        // display position -> index into names_
    signal::Agreement agreement_;
    std::vector<double> matrix_;    // display order
    Correlation kind_ = Correlation::Pearson;
    int scale_ = signal::kDefaultAgreementScale;
    bool clustered_ = false;
    bool textShown_ = true;
    double fittedCell_ = -1;        // the cell size (px) the text was last fitted to
    std::pair<QString, QString> titleParts_;  // "Agreement between methods", "<measure>, <scale>"
};

}  // namespace s4scope::views
