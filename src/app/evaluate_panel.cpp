#include "app/evaluate_panel.h"

#include <cmath>

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include "app/compute_service.h"
#include "views/conservation_plot.h"
#include "views/evaluation_plot.h"
#include "views/interval_marker.h"
#include "views/word_strip.h"

namespace s4scope::app {
namespace {

QString fixed(double v, int decimals = 3) { return std::isfinite(v) ? QString::number(v, 'f', decimals) : QStringLiteral("–"); }

// A read-only cell that keeps the exact number (Qt::UserRole) beside its text.
QTableWidgetItem* numberItem(const QString& text, double value, const QString& tip = QString()) {
    auto* item = new QTableWidgetItem(text);
    item->setData(Qt::UserRole, value);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    if (!tip.isEmpty()) item->setToolTip(tip);
    return item;
}

QPixmap swatch(const QColor& colour) {
    QPixmap p(12, 12);
    p.fill(colour);
    return p;
}

}  // namespace

EvaluatePanel::EvaluatePanel(QWidget* parent) : QWidget(parent) {
    compute_ = new ComputeService(this);
    curves_ = new views::EvaluationPlot(this);
    conservation_ = new views::ConservationPlot(this);
    strip_ = new views::WordStrip(this);
    strip_->setToolTip(tr("Drag over the waveform to mark the word's interval (localisation is scored against it); "
                          "Shift+drag zooms, double-click shows the whole second"));
    markers_.push_back(strip_->marker());

    baseline_ = new QComboBox(this);
    baseline_->addItem(tr("zero"), int(evaluation::Baseline::Zero));
    baseline_->addItem(tr("noise at the clip's noise floor"), int(evaluation::Baseline::NoiseFloor));
    baseline_->setToolTip(tr("What removed frames are replaced with"));
    orders_ = new QSpinBox(this);
    orders_->setRange(1, 64);
    orders_->setValue(8);
    orders_->setToolTip(tr("Random frame orders averaged into the dashed reference"));
    randomisation_ = new QCheckBox(tr("Randomisation check"), this);
    randomisation_->setChecked(true);
    randomisation_->setToolTip(tr("Re-explain after randomising the layers from the decoder down (Adebayo et al. 2018): "
                                  "a method whose map stays similar (Spearman ≥ %1) fails")
                                   .arg(evaluation::Randomisation::kPassBelow));
    evaluate_ = new QPushButton(tr("Evaluate"), this);
    evaluate_->setToolTip(tr("Judge the checked methods (or the selected one) on this clip"));
    cancel_ = new QToolButton(this);
    cancel_->setText(tr("Cancel"));
    cancel_->setEnabled(false);
    exportFigure_ = new QToolButton(this);
    exportFigure_->setText(tr("Figure…"));
    exportFigure_->setToolTip(tr("Export the curves or the per-layer conservation plot as PNG, SVG or PDF"));
    exportFigure_->setPopupMode(QToolButton::InstantPopup);
    auto* figureMenu = new QMenu(exportFigure_);
    figureMenu->addAction(tr("Curves…"), this, [this] { chooseFigure(); });
    figureMenu->addAction(tr("Conservation layer by layer…"), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Export the conservation plot"), QStringLiteral("conservation.png"),
                                                          tr("Figures (*.png *.svg *.pdf)"));
        if (!path.isEmpty()) exportFigure(path, views::FigureOptions{}, true);
    });
    exportFigure_->setMenu(figureMenu);
    exportData_ = new QToolButton(this);
    exportData_->setText(tr("Data…"));
    exportData_->setToolTip(tr("Export the numbers as CSV (one row per method) or JSON (with the curves)"));
    progress_ = new QLabel(this);
    progress_->setMinimumWidth(180);

    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Baseline"), this));
    controls->addWidget(baseline_);
    controls->addSpacing(8);
    controls->addWidget(new QLabel(tr("random orders"), this));
    controls->addWidget(orders_);
    controls->addSpacing(8);
    controls->addWidget(randomisation_);
    controls->addSpacing(8);
    controls->addWidget(evaluate_);
    controls->addWidget(cancel_);
    controls->addWidget(progress_, 1);
    controls->addWidget(exportFigure_);
    controls->addWidget(exportData_);

    wordLabel_ = new QLabel(this);
    wordLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    clearWord_ = new QToolButton(this);
    clearWord_->setText(tr("Clear"));
    clearWord_->setToolTip(tr("Forget the word's interval: localisation is not scored"));
    auto* word = new QHBoxLayout;
    word->addWidget(wordLabel_, 1);
    word->addWidget(clearWord_);

    table_ = new QTableWidget(0, ColumnCount, this);
    table_->setHorizontalHeaderLabels({tr("Method"), tr("AUC deletion"), tr("AUC insertion"), tr("ΔA_F"), tr("Rand. ρ"),
                                       tr("Sanity"), tr("Mass acc."), tr("Pointing"), tr("Conservation")});
    const QStringList tips{tr("The method (colour as in the curves)"),
                           tr("Area under the deletion (MoRF) curve: lower is more faithful"),
                           tr("Area under the insertion (LeRF) curve: higher is more faithful"),
                           tr("ΔA_F = AUC insertion − AUC deletion (MambaLRP): higher is more faithful; compare with the random row"),
                           tr("Spearman similarity of |R| (10 ms frames) to the original map after every layer is randomised"),
                           tr("Passes when the similarity after full randomisation is below %1").arg(evaluation::Randomisation::kPassBelow),
                           tr("Relevance mass accuracy: positive R inside the word / all positive R (a uniform map scores the word's share)"),
                           tr("Pointing game: the most relevant 10 ms frame lies in the word"),
                           tr("|ΣR − expected| / |expected| (target logit for LRP, f(x) − f(baseline) for IG and DeepLIFT); worst layer for LRP")};
    for (int c = 0; c < ColumnCount; ++c) table_->horizontalHeaderItem(c)->setToolTip(tips[c]);
    table_->verticalHeader()->setVisible(false);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setAlternatingRowColors(true);

    auto* bottom = new QSplitter(Qt::Horizontal, this);
    bottom->addWidget(table_);
    bottom->addWidget(conservation_);
    bottom->setStretchFactor(0, 1);
    bottom->setStretchFactor(1, 1);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(curves_);
    split->addWidget(bottom);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(controls);
    layout->addWidget(strip_);
    layout->addLayout(word);
    layout->addWidget(split, 1);

    connect(evaluate_, &QPushButton::clicked, this, &EvaluatePanel::evaluate);
    connect(cancel_, &QToolButton::clicked, this, &EvaluatePanel::cancel);
    connect(exportData_, &QToolButton::clicked, this, &EvaluatePanel::chooseData);
    connect(clearWord_, &QToolButton::clicked, this, [this] { setWordInterval(std::nullopt, QString()); });
    connect(strip_->marker(), &views::IntervalMarker::marked, this, &EvaluatePanel::onMarked);
    connect(compute_, &ComputeService::progressChanged, this, [this](const QString& label, double fraction) {
        progress_->setText(fraction < 0 ? label + QStringLiteral("…") : QStringLiteral("%1… %2 %").arg(label).arg(int(100 * fraction)));
    });
    connect(compute_, &ComputeService::busyChanged, this, [this](bool busy) {
        cancel_->setEnabled(busy);
        evaluate_->setEnabled(!busy);
    });
    clear();
    showWord();
}

EvaluatePanel::~EvaluatePanel() = default;

bool EvaluatePanel::isBusy() const { return compute_->isBusy(); }

void EvaluatePanel::attachMarker(views::TimeLinkedPlot* plot) {
    auto* marker = new views::IntervalMarker(plot);
    markers_.push_back(marker);
    connect(marker, &views::IntervalMarker::marked, this, &EvaluatePanel::onMarked);
    showWord();
}

void EvaluatePanel::setClip(const std::vector<float>& samples, int sampleRate, double offsetSeconds) {
    sampleRate_ = sampleRate;
    clipSamples_ = int64_t(samples.size());
    strip_->setTimeOrigin(offsetSeconds);
    strip_->setClip(samples, sampleRate);
    clear();
}

void EvaluatePanel::onMarked(double startSeconds, double endSeconds) {
    const evaluation::Interval w{int64_t(std::llround(startSeconds * sampleRate_)), int64_t(std::llround(endSeconds * sampleRate_))};
    setWordInterval(w.valid(clipSamples_) ? std::optional(w) : std::nullopt, tr("marked"));
}

void EvaluatePanel::setWordInterval(std::optional<evaluation::Interval> word, const QString& source) {
    if (word && !word->valid(clipSamples_)) word.reset();
    word_ = word;
    wordSource_ = word ? source : QString();
    showWord();
    emit wordIntervalChanged();
}

void EvaluatePanel::showWord() {
    std::optional<std::pair<double, double>> seconds;
    if (word_) seconds = std::make_pair(double(word_->start) / sampleRate_, double(word_->end) / sampleRate_);
    for (views::IntervalMarker* m : markers_) m->setInterval(seconds);
    clearWord_->setEnabled(bool(word_));
    if (!word_) {
        wordLabel_->setText(tr("Word interval: none — drag over the waveform above (or Ctrl+drag on the explanation view) to mark it; "
                               "localisation is scored only where it is known"));
        return;
    }
    const double origin = strip_->timeOrigin();
    wordLabel_->setText(tr("Word interval: %1–%2 s (samples %3–%4, %5)")
                            .arg(origin + seconds->first, 0, 'f', 3)
                            .arg(origin + seconds->second, 0, 'f', 3)
                            .arg(word_->start)
                            .arg(word_->end)
                            .arg(wordSource_));
}

evaluation::EvaluationOptions EvaluatePanel::options() const {
    evaluation::EvaluationOptions o;
    o.curves.baseline = evaluation::Baseline(baseline_->currentData().toInt());
    o.curves.randomOrders = orders_->value();
    o.randomisation = randomisation_->isChecked();
    o.word = word_;
    return o;
}

void EvaluatePanel::setBaseline(evaluation::Baseline baseline) { baseline_->setCurrentIndex(baseline_->findData(int(baseline))); }
void EvaluatePanel::setRandomOrders(int orders) { orders_->setValue(orders); }
void EvaluatePanel::setRandomisation(bool on) { randomisation_->setChecked(on); }

void EvaluatePanel::clear() {
    ++generation_;
    compute_->cancelAll();
    result_.reset();
    curves_->clear();
    curves_->setTitle(QString());
    conservation_->setLayers({});
    table_->setRowCount(0);
    progress_->clear();
    exportFigure_->setEnabled(false);
    exportData_->setEnabled(false);
}

void EvaluatePanel::cancel() { compute_->cancelAll(); }

bool EvaluatePanel::evaluate() {
    QString why;
    std::optional<EvaluationInput> input = provider_ ? provider_(&why) : std::nullopt;
    if (!input || input->requests.empty()) {
        emit failed(why.isEmpty() ? tr("Nothing to evaluate: open a clip and check methods") : why);
        return false;
    }
    clear();
    const quint64 generation = generation_;
    evaluation::EvaluationOptions options = this->options();
    options.target = input->target;
    auto shared = std::make_shared<const EvaluationInput>(std::move(*input));
    compute_->submit<evaluation::ClipEvaluation>(
        tr("Evaluating %n method(s)", nullptr, int(shared->requests.size())),
        [shared, options](const JobContext& context) {
            evaluation::Control control;
            control.cancel = context.cancel;
            control.progress = context.progress;
            return evaluation::evaluateClip(*shared->model, shared->samples, shared->requests, options, control);
        },
        [this, generation, shared, options](evaluation::ClipEvaluation result) {
            if (generation != generation_) return;
            EvaluationData data;
            const auto& labels = shared->model->config().labels;
            data.targetLabel = result.target >= 0 && result.target < int64_t(labels.size()) ? QString::fromStdString(labels[size_t(result.target)]) : QString();
            data.result = std::move(result);
            data.options = options;
            data.names = shared->names;
            data.clipPath = shared->clipPath;
            data.offsetSeconds = shared->offsetSeconds;
            data.model = QString::fromStdString(shared->model->source());
            result_ = std::move(data);
            progress_->setText(tr("Done"));
            curves_->setTitle(tr("%1 — target \"%2\" (p = %3), %4 baseline")
                                  .arg(shared->title, result_->targetLabel)
                                  .arg(result_->result.probability, 0, 'f', 3)
                                  .arg(QString::fromStdString(evaluation::baselineName(options.curves.baseline))));
            showResult();
            emit ready();
        },
        [this, generation](const QString& message, bool cancelled) {
            if (generation != generation_) return;
            progress_->setText(cancelled ? tr("Cancelled") : tr("Failed"));
            if (!cancelled) emit failed(message);
        });
    return true;
}

void EvaluatePanel::showResult() {
    const EvaluationData& d = *result_;
    std::vector<views::EvaluationCurve> curves;
    std::vector<views::EvaluationBar> bars;
    std::vector<views::LayerTotals> layers;
    for (size_t i = 0; i < d.result.methods.size(); ++i) {
        const auto& m = d.result.methods[i];
        const QString name = d.names.value(int(i), QString::fromStdString(m.method));
        curves.push_back({name, m.curves.fractions, m.curves.deletion, m.curves.insertion});
        bars.push_back({name, m.curves.deltaAF(), 0});
        if (m.conservation && !m.conservation->layers.empty()) {
            views::LayerTotals t{name, {}, {}, m.conservation->expected, int(i)};
            for (const auto& [step, total] : m.conservation->layers) {
                t.steps << QString::fromStdString(step);
                t.totals.push_back(total);
            }
            layers.push_back(t);
        }
    }
    const auto& r = d.result.random;
    curves_->setCurves(curves, {tr("random order (mean of %1)").arg(d.options.curves.randomOrders), r.fractions, r.deletion, r.insertion});
    curves_->setSummary(bars, r.deltaAF());
    conservation_->setLayers(layers);
    fillTable();
    exportFigure_->setEnabled(true);
    exportData_->setEnabled(true);
}

void EvaluatePanel::fillTable() {
    const EvaluationData& d = *result_;
    const auto& methods = d.result.methods;
    table_->setRowCount(int(methods.size()) + 1);
    for (size_t i = 0; i < methods.size(); ++i) {
        const auto& m = methods[i];
        const int row = int(i);
        auto* name = new QTableWidgetItem(QIcon(swatch(views::evaluationColour(row))), d.names.value(row, QString::fromStdString(m.method)));
        name->setData(Qt::UserRole, QString::fromStdString(m.method));
        name->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
        table_->setItem(row, Method, name);
        table_->setItem(row, AucDeletion, numberItem(fixed(m.curves.aucDeletion), m.curves.aucDeletion));
        table_->setItem(row, AucInsertion, numberItem(fixed(m.curves.aucInsertion), m.curves.aucInsertion));
        table_->setItem(row, DeltaAF, numberItem(fixed(m.curves.deltaAF()), m.curves.deltaAF()));
        if (m.randomisation) {
            const double s = m.randomisation->finalSimilarity();
            QStringList steps;
            for (size_t k = 0; k < m.randomisation->layers.size(); ++k)
                steps << QStringLiteral("%1: %2").arg(QString::fromStdString(m.randomisation->layers[k])).arg(fixed(m.randomisation->similarity[k]));
            table_->setItem(row, Randomisation, numberItem(fixed(s, 2), s, tr("After each cascading step:\n%1").arg(steps.join('\n'))));
            auto* sanity = numberItem(m.randomisation->passed ? tr("pass") : tr("fail"), m.randomisation->passed ? 1.0 : 0.0);
            sanity->setForeground(m.randomisation->passed ? QColor(0x2c, 0xa0, 0x2c) : QColor(0xd6, 0x27, 0x28));
            sanity->setTextAlignment(Qt::AlignCenter);
            table_->setItem(row, Sanity, sanity);
        } else {
            table_->setItem(row, Randomisation, numberItem(QStringLiteral("–"), NAN, tr("The randomisation check was off")));
            table_->setItem(row, Sanity, numberItem(QStringLiteral("–"), NAN));
        }
        if (m.localisation) {
            const auto& l = *m.localisation;
            table_->setItem(row, MassAccuracy, numberItem(fixed(l.massAccuracy, 2), l.massAccuracy,
                                                          tr("A uniform map scores %1 (the word's share of the clip)").arg(fixed(l.intervalShare, 2))));
            auto* hit = numberItem(l.pointingHit ? tr("hit") : tr("miss"), l.pointingHit ? 1.0 : 0.0);
            hit->setTextAlignment(Qt::AlignCenter);
            table_->setItem(row, Pointing, hit);
        } else {
            table_->setItem(row, MassAccuracy, numberItem(QStringLiteral("–"), NAN, tr("No word interval: mark one on the waveform")));
            table_->setItem(row, Pointing, numberItem(QStringLiteral("–"), NAN));
        }
        if (m.conservation) {
            const double e = m.conservation->relativeError();
            QString tip = QString::fromStdString(conservationSummary(*m.conservation));
            double worst = -1;
            for (const auto& l : evaluation::layerConservation(*m.conservation)) worst = std::max(worst, l.relativeError);
            if (worst >= 0) tip += tr("\nworst layer: %1 % off (the plot beside shows every layer)").arg(100 * worst, 0, 'g', 3);
            table_->setItem(row, Conservation, numberItem(QStringLiteral("%1 %").arg(100 * e, 0, 'g', 3), e, tip));
        } else {
            table_->setItem(row, Conservation, numberItem(QStringLiteral("–"), NAN, tr("The method has no conservation property")));
        }
    }
    // The random-order reference: what a ranking that knows nothing scores.
    const int row = int(methods.size());
    const auto& r = d.result.random;
    auto* name = new QTableWidgetItem(tr("random order (mean of %1)").arg(d.options.curves.randomOrders));
    name->setFlags(Qt::ItemIsEnabled);
    QFont italic = name->font();
    italic.setItalic(true);
    name->setFont(italic);
    table_->setItem(row, Method, name);
    table_->setItem(row, AucDeletion, numberItem(fixed(r.aucDeletion), r.aucDeletion));
    table_->setItem(row, AucInsertion, numberItem(fixed(r.aucInsertion), r.aucInsertion));
    table_->setItem(row, DeltaAF, numberItem(fixed(r.deltaAF()), r.deltaAF()));
    for (int c = Randomisation; c < ColumnCount; ++c) table_->setItem(row, c, numberItem(QString(), NAN));
}

bool EvaluatePanel::exportFigure(const QString& path, const views::FigureOptions& options, bool conservation) {
    if (!result_) {
        emit failed(tr("Nothing is evaluated yet: press Evaluate"));
        return false;
    }
    try {
        if (conservation) conservation_->exportFigure(path, options);
        else curves_->exportFigure(path, options);
    } catch (const std::exception& e) {
        emit failed(QString::fromUtf8(e.what()));
        return false;
    }
    emit statusMessage(tr("Figure written to %1").arg(path));
    return true;
}

bool EvaluatePanel::exportData(const QString& path) {
    if (!result_) {
        emit failed(tr("Nothing is evaluated yet: press Evaluate"));
        return false;
    }
    try {
        exportEvaluationData(path, *result_);
    } catch (const std::exception& e) {
        emit failed(QString::fromUtf8(e.what()));
        return false;
    }
    emit statusMessage(tr("Evaluation written to %1").arg(path));
    return true;
}

void EvaluatePanel::chooseFigure() {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export the evaluation figure"), QStringLiteral("evaluation.png"),
                                                      tr("Figures (*.png *.svg *.pdf)"));
    if (!path.isEmpty()) exportFigure(path, views::FigureOptions{});
}

void EvaluatePanel::chooseData() {
    QString filter;
    QString path = QFileDialog::getSaveFileName(this, tr("Export the evaluation"), QStringLiteral("evaluation.csv"),
                                                tr("CSV table (*.csv);;JSON with the curves (*.json)"), &filter);
    if (path.isEmpty()) return;
    if (QFileInfo(path).suffix().isEmpty()) path += filter.contains(QLatin1String("json")) ? QStringLiteral(".json") : QStringLiteral(".csv");
    exportData(path);
}

}  // namespace s4scope::app
