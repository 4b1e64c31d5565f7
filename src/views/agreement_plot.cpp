#include "views/agreement_plot.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <QHelpEvent>
#include <QToolTip>

#include "views/colour_maps.h"

namespace s4scope::views {

AgreementPlot::AgreementPlot(QWidget* parent) : PlotWidget(parent) {
    title_ = new QCPTextElement(this, QString(), QFont(font().family(), font().pointSize(), QFont::Bold));
    title_->setTextFlags(Qt::AlignCenter);  // lines break where fitTitle() puts them, nowhere else
    // The title has a row of its own over the whole width; the matrix and its colour scale share the
    // row below. (In the matrix's column the title was centred over the matrix alone and clipped.)
    auto* body = new QCPLayoutGrid;
    QCPAxisRect* matrixRect = axisRect();  // found through the layout: keep it while it moves
    plotLayout()->take(matrixRect);
    plotLayout()->addElement(0, 0, title_);
    plotLayout()->addElement(1, 0, body);
    body->addElement(0, 0, matrixRect);
    map_ = new QCPColorMap(xAxis, yAxis);
    map_->setGradient(relevanceGradient());
    map_->setInterpolate(false);
    map_->setSelectable(QCP::stNone);
    colourScale_ = new QCPColorScale(this);
    body->addElement(0, 1, colourScale_);
    colourScale_->setBarWidth(12);
    map_->setColorScale(colourScale_);  // the map adopts the scale's gradient: set it on the scale
    colourScale_->setGradient(relevanceGradient());
    map_->setDataRange(QCPRange(-1, 1));
    auto* group = new QCPMarginGroup(this);
    axisRect()->setMarginGroup(QCP::msTop | QCP::msBottom, group);
    colourScale_->setMarginGroup(QCP::msTop | QCP::msBottom, group);
    xAxis->setTickLabelRotation(40);
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

QString AgreementPlot::measureName() const {
    switch (kind_) {
    case Correlation::Pearson: return tr("Pearson r");
    case Correlation::Spearman: return tr("Spearman ρ");
    case Correlation::TopKOverlap:
        return tr("top-%1 % overlap (Jaccard)").arg(std::lround(100 * (agreement_.topKFraction > 0 ? agreement_.topKFraction : 0.1)));
    }
    return QString();
}

void AgreementPlot::setAgreement(const QStringList& names, const signal::Agreement& agreement) {
    names_ = names;
    agreement_ = agreement;
    redraw();
}

void AgreementPlot::setCorrelation(Correlation kind) {
    kind_ = kind;
    redraw();
}

void AgreementPlot::setScale(int index) {
    scale_ = std::clamp(index, 0, 3);
    redraw();
}

void AgreementPlot::setClustered(bool clustered) {
    clustered_ = clustered;
    redraw();
}

QStringList AgreementPlot::names() const {
    QStringList shown;
    for (int i : order_) shown << names_.value(i);
    return shown;
}

void AgreementPlot::redraw() {
    const int n = names_.size();
    const signal::AgreementMatrix* source = agreement_.find(kind_, scale_);
    const bool valid = source && source->values.size() == size_t(n) * size_t(n);
    order_.resize(size_t(n));
    std::iota(order_.begin(), order_.end(), 0);
    if (clustered_ && valid && source->clusterOrder.size() == size_t(n)) order_ = source->clusterOrder;
    matrix_.assign(size_t(n) * size_t(n), std::nan(""));
    if (valid)
        for (int i = 0; i < n; ++i)
            for (int j = 0; j < n; ++j) matrix_[size_t(i * n + j)] = source->values[size_t(order_[size_t(i)] * n + order_[size_t(j)])];

    const QString scaleName = scale_ < int(agreement_.scales.size())
                                  ? QString::fromStdString(agreement_.scales[size_t(scale_)].name)
                                  : QString::fromStdString(signal::agreementScales(16000)[size_t(scale_)].name);
    const QString frames = scale_ == 0 ? tr("per sample") : tr("%1 frames").arg(scaleName);
    colourScale_->axis()->setLabel(measureName());
    titleParts_ = {tr("Agreement between methods"), QStringLiteral("%1, %2").arg(measureName(), frames)};

    for (QCPItemText* t : cellTexts_) removeItem(t);
    cellTexts_.clear();
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    const QStringList shown = names();
    for (int i = 0; i < n; ++i) ticker->addTick(i, shown[i]);
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
            text->setClipToAxisRect(true);
            cellTexts_.push_back(text);
        }
    }
    fittedCell_ = -1;  // fit the new text at the next layout
    replot(rpQueuedReplot);
}

// The cell size and the room for the title are known once the layout is: the text is fitted to
// them there, inside the replot and before drawing, and what changes size is laid out again at once
// (so an export drawn by this replot is fitted too). Bounded: margins could see-saw by a pixel.
void AgreementPlot::updateLayout() {
    PlotWidget::updateLayout();
    for (int pass = 0; pass < 3; ++pass) {
        const bool titleChanged = fitTitle();
        const bool labelsChanged = fitText();
        if (!titleChanged && !labelsChanged) break;
        PlotWidget::updateLayout();
    }
}

// One line when it fits the width, else the measure on a second line, else a smaller font.
bool AgreementPlot::fitTitle() {
    const int room = std::max(40, viewport().width() - 8);
    QFont titleFont(font().family(), font().pointSize(), QFont::Bold);
    const QString oneLine = tr("%1 (%2)").arg(titleParts_.first, titleParts_.second);
    const QString twoLines = titleParts_.first + QLatin1Char('\n') + titleParts_.second;
    auto widthOf = [](const QFont& f, const QString& text) { return QFontMetrics(f).boundingRect(QRect(), Qt::AlignCenter, text).width(); };
    QString text = oneLine;
    if (widthOf(titleFont, oneLine) > room) {
        text = twoLines;
        for (int pixels = QFontInfo(titleFont).pixelSize() - 1; widthOf(titleFont, text) > room && pixels >= 6; --pixels)
            titleFont.setPixelSize(pixels);
    }
    if (text == title_->text() && titleFont == title_->font()) return false;
    title_->setText(text);
    title_->setFont(titleFont);
    title_->setSelectedFont(titleFont);
    return true;
}

QRect AgreementPlot::titleTextRect() const {
    return QFontMetrics(title_->font()).boundingRect(title_->rect(), title_->textFlags(), title_->text());
}

QString AgreementPlot::title() const { return title_->text(); }

bool AgreementPlot::fitText() {
    const int n = std::max(1, int(names_.size()));
    const double cell = std::min(axisRect()->width(), axisRect()->height()) / double(n);
    if (std::abs(cell - fittedCell_) < 0.5) return false;
    fittedCell_ = cell;
    // "-0.53" in a font of pixel size p is about 2.6 p wide: it fits a cell up to 0.34 of its width.
    const double basePixels = QFontInfo(font()).pixelSize();
    const double textPixels = std::min(basePixels, 0.34 * cell);
    textShown_ = textPixels >= 7;
    QFont cellFont = font();
    cellFont.setPixelSize(std::max(1, int(std::floor(textPixels))));
    for (QCPItemText* t : cellTexts_) {
        t->setVisible(textShown_);
        t->setFont(cellFont);
    }
    // Labels a line apart at most: shrink to fit the cell's height (down to 7 px, then every other one
    // would collide: the ticker keeps them all, so the font keeps shrinking instead), and turn the
    // column labels upright once slanted ones would touch their neighbours.
    const double labelPixels = std::clamp(0.8 * cell, 6.0, basePixels);
    QFont labelFont = font();
    labelFont.setPixelSize(int(std::floor(labelPixels)));
    const double rotation = cell < 2.2 * labelPixels ? 90 : 40;
    bool changed = false;
    for (QCPAxis* axis : {xAxis, yAxis}) {
        if (axis->tickLabelFont().pixelSize() != labelFont.pixelSize()) {
            axis->setTickLabelFont(labelFont);
            changed = true;
        }
    }
    if (xAxis->tickLabelRotation() != rotation) {
        xAxis->setTickLabelRotation(rotation);
        changed = true;
    }
    return changed;  // the labels' new size moves the margins: lay out again with them
}

QPoint AgreementPlot::cellAt(const QPointF& position) const {
    const int n = names_.size();
    if (n == 0 || !axisRect()->rect().contains(position.toPoint())) return {-1, -1};
    const int column = int(std::lround(xAxis->pixelToCoord(position.x())));
    const int row = int(std::lround(yAxis->pixelToCoord(position.y())));
    if (row < 0 || row >= n || column < 0 || column >= n) return {-1, -1};
    return {column, row};
}

QString AgreementPlot::cellToolTip(int row, int column) const {
    const int n = names_.size();
    if (row < 0 || row >= n || column < 0 || column >= n) return QString();
    const double value = matrix_[size_t(row * n + column)];
    const QStringList shown = names();
    const QString number = std::isnan(value) ? tr("undefined (a constant map)") : QString::number(value, 'f', 3);
    return tr("%1 ↔ %2\n%3 = %4").arg(shown[row], shown[column], measureName(), number);
}

bool AgreementPlot::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QPoint cell = cellAt(help->pos());
        const QString text = cellToolTip(cell.y(), cell.x());
        if (text.isEmpty()) QToolTip::hideText();
        else QToolTip::showText(help->globalPos(), text, this, QRect(help->pos() - QPoint(2, 2), QSize(4, 4)));
        return true;  // handled: no parent's tooltip over the matrix
    }
    return PlotWidget::event(event);
}

void AgreementPlot::applyPlotTheme(const PlotTheme& theme) {
    PlotWidget::applyPlotTheme(theme);
    axisRect()->setBackground(theme.panel);
}

}  // namespace s4scope::views
