#include "views/evaluation_plot.h"

#include <algorithm>
#include <cmath>

namespace s4scope::views {
namespace {

QVector<double> toVector(const std::vector<double>& v) { return QVector<double>(v.begin(), v.end()); }

// Distinguishable on white and on a dark panel; 22 methods fit (tab20 followed by two more).
const QColor kColours[] = {
    QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e), QColor(0x2c, 0xa0, 0x2c), QColor(0xd6, 0x27, 0x28),
    QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b), QColor(0xe3, 0x77, 0xc2), QColor(0x7f, 0x7f, 0x7f),
    QColor(0xbc, 0xbd, 0x22), QColor(0x17, 0xbe, 0xcf), QColor(0x39, 0x3b, 0x79), QColor(0xad, 0x49, 0x4a),
    QColor(0x63, 0x79, 0x39), QColor(0x8c, 0x6d, 0x31), QColor(0x7b, 0x41, 0x73), QColor(0x31, 0x82, 0xbd),
    QColor(0xe6, 0x55, 0x0d), QColor(0x31, 0xa3, 0x54), QColor(0x75, 0x6b, 0xb1), QColor(0x63, 0x63, 0x63),
    QColor(0xbd, 0x9e, 0x39), QColor(0x6b, 0xae, 0xd6)};

}  // namespace

QColor evaluationColour(int index) {
    const int n = int(sizeof(kColours) / sizeof(kColours[0]));
    return kColours[((index % n) + n) % n];
}

EvaluationPlot::EvaluationPlot(QWidget* parent) : PlotWidget(parent) {
    plotLayout()->clear();
    setAutoAddPlottableToLegend(false);  // only the curves go into the legend, once per method
    title_ = new QCPTextElement(this, QString(), QFont(font().family(), font().pointSize() + 1, QFont::Bold));
    plotLayout()->addElement(0, 0, title_);
    panels_ = new QCPLayoutGrid;
    plotLayout()->addElement(1, 0, panels_);
    deletionRect_ = newRect(tr("Deletion (MoRF): most relevant frames removed"), tr("frames removed (%)"), tr("p(target)"));
    insertionRect_ = newRect(tr("Insertion: only the most relevant frames kept"), tr("frames kept (%)"), tr("p(target)"));
    summaryRect_ = newRect(tr("ΔA_F = AUC insertion − AUC deletion"), tr("ΔA_F"), QString());
    panels_->addElement(0, 0, panelTitles_[0]);
    panels_->addElement(1, 0, deletionRect_);
    panels_->addElement(0, 1, panelTitles_[1]);
    panels_->addElement(1, 1, insertionRect_);
    panels_->setRowStretchFactors({0.01, 1});
    panels_->setColumnSpacing(12);
    auto* group = new QCPMarginGroup(this);  // the panels' data areas line up
    for (QCPAxisRect* r : {deletionRect_, insertionRect_, summaryRect_}) r->setMarginGroup(QCP::msTop | QCP::msBottom, group);
    summaryRect_->setVisible(false);
    panelTitles_[2]->setVisible(false);
    auto* names = summaryRect_->axis(QCPAxis::atLeft);
    names->setRangeReversed(true);  // the first method on top
    names->grid()->setVisible(false);
    names->setTicker(QSharedPointer<QCPAxisTickerText>::create());
    referenceLine_ = new QCPItemStraightLine(this);
    referenceLine_->setClipAxisRect(summaryRect_);
    for (QCPItemPosition* p : {referenceLine_->point1, referenceLine_->point2}) {
        p->setAxisRect(summaryRect_);
        p->setAxes(summaryRect_->axis(QCPAxis::atBottom), summaryRect_->axis(QCPAxis::atLeft));
    }
    referenceLine_->setVisible(false);

    legend_ = new QCPLegend;
    plotLayout()->addElement(2, 0, legend_);
    legend_->setLayer(QStringLiteral("legend"));
    legend_->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    legend_->setWrap(5);
    legend_->setBorderPen(Qt::NoPen);
    legend_->setIconSize(28, 12);
    legend_->setMargins(QMargins(6, 2, 6, 2));
    plotLayout()->setRowStretchFactors({0.01, 1, 0.01});

    placeholder_ = new QCPItemText(this);
    placeholder_->setClipToAxisRect(false);
    placeholder_->position->setType(QCPItemPosition::ptAxisRectRatio);
    placeholder_->position->setAxisRect(deletionRect_);
    placeholder_->position->setCoords(0.5, 0.5);
    placeholder_->setText(tr("Check methods and press Evaluate"));
    setMinimumSize(420, 240);
    clear();
    refreshTheme();
}

QCPAxisRect* EvaluationPlot::newRect(const QString& title, const QString& xLabel, const QString& yLabel) {
    auto* rect = new QCPAxisRect(this);
    rect->setupFullAxesBox(false);
    for (QCPAxis* a : {rect->axis(QCPAxis::atTop), rect->axis(QCPAxis::atRight)}) a->setVisible(false);
    rect->axis(QCPAxis::atBottom)->setLabel(xLabel);
    rect->axis(QCPAxis::atLeft)->setLabel(yLabel);
    rect->axis(QCPAxis::atBottom)->setRange(0, 100);
    rect->axis(QCPAxis::atLeft)->setRange(0, 1.02);
    auto* t = new QCPTextElement(this, title, QFont(font().family(), font().pointSize()));
    t->setMargins(QMargins(0, 4, 0, 0));
    panelTitles_.append(t);
    return rect;
}

void EvaluationPlot::setTitle(const QString& title) {
    title_->setText(title);
    replot(rpQueuedReplot);
}

QString EvaluationPlot::title() const { return title_->text(); }

void EvaluationPlot::clear() {
    for (QCPGraph* g : deletion_) removeGraph(g);
    for (QCPGraph* g : insertion_) removeGraph(g);
    if (referenceDeletion_) removeGraph(referenceDeletion_);
    if (referenceInsertion_) removeGraph(referenceInsertion_);
    deletion_.clear();
    insertion_.clear();
    referenceDeletion_ = referenceInsertion_ = nullptr;
    legend_->clearItems();
    legend_->setVisible(false);
    placeholder_->setVisible(true);
    setSummary({}, 0);
}

void EvaluationPlot::setCurves(const std::vector<EvaluationCurve>& methods, const EvaluationCurve& reference) {
    clear();
    auto add = [this](QCPAxisRect* rect, const EvaluationCurve& c, const std::vector<double>& values, const QPen& pen) {
        QCPGraph* g = addGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
        QVector<double> k;
        for (double f : c.fractions) k << 100.0 * f;
        g->setData(k, toVector(values), true);
        g->setPen(pen);
        g->setName(c.name);
        g->setSelectable(QCP::stNone);
        g->removeFromLegend();
        return g;
    };
    for (size_t i = 0; i < methods.size(); ++i) {
        const QPen pen(evaluationColour(int(i)), 2);
        deletion_.push_back(add(deletionRect_, methods[i], methods[i].deletion, pen));
        insertion_.push_back(add(insertionRect_, methods[i], methods[i].insertion, pen));
        deletion_.back()->addToLegend(legend_);
    }
    if (!reference.name.isEmpty()) {
        const QPen pen(theme().text, 1.6, Qt::DashLine);
        referenceDeletion_ = add(deletionRect_, reference, reference.deletion, pen);
        referenceInsertion_ = add(insertionRect_, reference, reference.insertion, pen);
        referenceDeletion_->addToLegend(legend_);
    }
    double top = 0.05;  // probabilities: the axis reaches a little above the largest
    for (int i = 0; i < graphCount(); ++i)
        for (auto it = graph(i)->data()->constBegin(); it != graph(i)->data()->constEnd(); ++it) top = std::max(top, it->value);
    for (QCPAxisRect* r : {deletionRect_, insertionRect_}) r->axis(QCPAxis::atLeft)->setRange(0, std::min(1.0, top) * 1.05);
    legend_->setVisible(legend_->itemCount() > 0);
    placeholder_->setVisible(methods.empty());
    replot(rpQueuedReplot);
}

void EvaluationPlot::setSummary(const std::vector<EvaluationBar>& bars, double reference) {
    for (int i = plottableCount() - 1; i >= 0; --i)  // error bars first: they refer to their bars
        if (qobject_cast<QCPErrorBars*>(plottable(i))) removePlottable(i);
    for (int i = plottableCount() - 1; i >= 0; --i)
        if (qobject_cast<QCPBars*>(plottable(i))) removePlottable(i);
    bars_ = nullptr;
    errors_ = nullptr;
    layOut(!bars.empty());
    if (bars.empty()) {
        replot(rpQueuedReplot);
        return;
    }
    QCPAxis* names = summaryRect_->axis(QCPAxis::atLeft);
    QCPAxis* values = summaryRect_->axis(QCPAxis::atBottom);
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    double lo = std::min(0.0, reference), hi = std::max(0.0, reference);
    for (size_t i = 0; i < bars.size(); ++i) {
        auto* b = new QCPBars(names, values);
        b->setWidth(0.7);
        b->setSelectable(QCP::stNone);
        b->addData(double(i), bars[i].value);
        b->setPen(Qt::NoPen);
        b->setBrush(evaluationColour(int(i)));
        b->setName(bars[i].name);
        if (bars[i].error > 0) {
            auto* e = new QCPErrorBars(names, values);
            e->setDataPlottable(b);
            e->setData(QVector<double>{bars[i].error});
            e->setPen(QPen(theme().text, 1.2));
            e->setSelectable(QCP::stNone);
            e->setName(bars[i].name + QStringLiteral(" ±"));
        }
        ticker->addTick(double(i), bars[i].name);
        lo = std::min(lo, bars[i].value - bars[i].error);
        hi = std::max(hi, bars[i].value + bars[i].error);
    }
    names->setTicker(ticker);
    names->setRange(-0.6, double(bars.size()) - 0.4);
    const double pad = 0.08 * std::max(1e-3, hi - lo);
    values->setRange(lo - pad, hi + pad);
    referenceLine_->point1->setCoords(reference, 0);
    referenceLine_->point2->setCoords(reference, 1);
    referenceLine_->setVisible(true);
    replot(rpQueuedReplot);
}

void EvaluationPlot::layOut(bool withSummary) {
    if (withSummary && !summaryShown_) {
        panels_->addElement(0, 2, panelTitles_[2]);
        panels_->addElement(1, 2, summaryRect_);
        panels_->setColumnStretchFactors({1, 1, 0.8});
    } else if (!withSummary && summaryShown_) {
        panels_->take(panelTitles_[2]);
        panels_->take(summaryRect_);
        panels_->simplify();
    }
    summaryShown_ = withSummary;
    summaryRect_->setVisible(withSummary);
    panelTitles_[2]->setVisible(withSummary);
    referenceLine_->setVisible(withSummary);
    for (QCPAxis* a : summaryRect_->axes()) a->setVisible(withSummary && (a->axisType() == QCPAxis::atLeft || a->axisType() == QCPAxis::atBottom));
}

QCPGraph* EvaluationPlot::deletionGraph(int index) const {
    if (index < 0) return referenceDeletion_;
    return index < int(deletion_.size()) ? deletion_[size_t(index)] : nullptr;
}

QCPGraph* EvaluationPlot::insertionGraph(int index) const {
    if (index < 0) return referenceInsertion_;
    return index < int(insertion_.size()) ? insertion_[size_t(index)] : nullptr;
}

void EvaluationPlot::applyPlotTheme(const PlotTheme& theme) {
    PlotWidget::applyPlotTheme(theme);
    for (QCPAxisRect* r : {deletionRect_, insertionRect_, summaryRect_}) r->setBackground(theme.panel);
    for (QCPTextElement* t : panelTitles_) t->setTextColor(theme.text);
    legend_->setBrush(theme.background);
    legend_->setTextColor(theme.text);
    placeholder_->setColor(theme.text);
    const QPen reference(theme.text, 1.6, Qt::DashLine);
    if (referenceDeletion_) referenceDeletion_->setPen(reference);
    if (referenceInsertion_) referenceInsertion_->setPen(reference);
    referenceLine_->setPen(QPen(theme.text, 1.4, Qt::DashLine));
    for (int i = 0; i < plottableCount(); ++i)
        if (auto* e = qobject_cast<QCPErrorBars*>(plottable(i))) e->setPen(QPen(theme.text, 1.2));
}

}  // namespace s4scope::views
