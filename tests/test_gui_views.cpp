// The views' own logic, without the main window: colour maps, time axis rules, the time-linked
// rows, and the plots' data and exports. (STFT, pooling and correlation: test_signal.)
#include <QApplication>
#include <QFile>
#include <QFontMetricsF>
#include <QWheelEvent>
#include <QImage>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "s4scope/error.h"
#include "signal/relevance_pooling.h"
#include "signal/spectrogram.h"
#include "views/agreement_plot.h"
#include "views/colour_maps.h"
#include "views/comparison_plot.h"
#include "views/explanation_plot.h"
#include "views/probability_plot.h"
#include "views/relevance_strip_layer.h"
#include "views/spectrogram_layer.h"
#include "views/time_range.h"
#include "views/waveform_layer.h"

using namespace s4scope::views;
using s4scope::signal::computeSpectrogram;

namespace {

std::vector<float> sine(double hz, int n = 16000, int rate = 16000, float amplitude = 1.f) {
    std::vector<float> v(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) v[size_t(i)] = amplitude * float(std::sin(2 * M_PI * hz * i / rate));
    return v;
}

bool sameRange(const QCPRange& a, const QCPRange& b) { return std::abs(a.lower - b.lower) < 1e-9 && std::abs(a.upper - b.upper) < 1e-9; }

// The time a readout starts with ("t 0.4994 s ...").
double readoutTime(const QString& text) {
    const auto match = QRegularExpression("t ([0-9.]+) s").match(text);
    return match.hasMatch() ? match.captured(1).toDouble() : -1.0;
}

// A row written against TimeLayer alone, as a new view row would be: the plot it is added to links
// its time axis, draws the crosshair through it and asks it for its readout.
class ProbeRow : public TimeLayer {
public:
    void attach(QCPAxisRect* rect, QCPColorScale* scale) override {
        rect_ = rect;
        hadScale = scale != nullptr;
        graph_ = new QCPGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    }
    RowLayout layout() const override {
        RowLayout layout;
        layout.stretch = 0.3;
        layout.colourScale = true;
        return layout;
    }
    void setClip(const ClipData& clip) override {
        samplesSeen = clip.samples.size();
        framesSeen = clip.spectrogram.frames;
        graph_->data()->clear();
        for (size_t i = 0; i < clip.samples.size(); i += 100) graph_->addData(double(i) / clip.sampleRate, clip.samples[i]);
    }
    void setRelevance(const ClipData& clip) override { relevanceSeen = clip.relevance.size(); }
    void setTimeRange(const QCPRange& range) override { lastRange = range; }
    QString readout(double seconds, double) const override { return QStringLiteral("probe %1").arg(seconds, 0, 'f', 2); }

    QCPAxisRect* rect_ = nullptr;
    QCPGraph* graph_ = nullptr;
    bool hadScale = false;
    size_t samplesSeen = 0, relevanceSeen = 0;
    int framesSeen = 0;
    QCPRange lastRange;
};

}  // namespace

class TestGuiViews : public QObject {
    Q_OBJECT
private slots:
    void relevanceColoursAreDivergingAndSymmetric() {
        QCPColorGradient g = relevanceGradient();
        const QCPRange range(-1, 1);
        QCOMPARE(QColor(g.color(0, range)), QColor(Qt::white));
        const QColor negative(g.color(-1, range)), positive(g.color(1, range));
        QVERIFY(negative.blue() > negative.red());
        QVERIFY(positive.red() > positive.blue());
        QCPColorGradient magma = spectrogramGradient(SpectrogramMap::Magma);
        QVERIFY(QColor(magma.color(0, QCPRange(0, 1))).lightness() < QColor(magma.color(1, QCPRange(0, 1))).lightness());
    }

    void timeRangeStaysInsideTheClip() {
        QCOMPARE(clampTimeRange(QCPRange(-0.5, 0.5), 1.0, 0.01), QCPRange(0, 1.0));
        const QCPRange shifted = clampTimeRange(QCPRange(0.9, 1.2), 1.0, 0.01);
        QVERIFY(std::abs(shifted.lower - 0.7) < 1e-12 && shifted.upper == 1.0);
        const QCPRange tiny = clampTimeRange(QCPRange(0.5, 0.5001), 1.0, 0.01);
        QVERIFY(std::abs(tiny.size() - 0.01) < 1e-12);
        QCOMPARE(zoomedTimeRange(QCPRange(0, 1), 0.5), QCPRange(0.25, 0.75));
    }

    void explanationPlotDrawsWhatItIsGiven() {
        ExplanationPlot plot;
        plot.resize(1000, 700);
        plot.show();
        const auto clip = sine(440, 16000, 16000, 0.5f);
        plot.setClip(clip, 16000, computeSpectrogram(clip, 16000));
        std::vector<float> r(16000, 0.f);
        r[4000] = -2.f;
        r[12000] = 1.f;
        plot.setRelevance(r);
        QVERIFY(plot.relevance() == r);
        QVERIFY(plot.samples() == clip);
        QCOMPARE(plot.duration(), 1.0);
        // Colours are scaled by the view's max |R|, symmetric about zero.
        QCOMPARE(plot.waveform()->appliedScale(), 2.0);
        QCOMPARE(plot.waveform()->colourMap()->dataRange(), QCPRange(-1, 1));
        QCOMPARE(plot.waveform()->relevanceAt(0.25), -2.f);
        // The strip's cells sit on the spectrogram's columns.
        QCOMPARE(int(plot.strip()->perFrame().size()), plot.spectrogram()->spectrogram().frames);
        QCOMPARE(plot.strip()->frameRelevanceAt(0.75), 1.0);
        // Zooming to the second half leaves only the positive impulse in view: it sets the scale.
        plot.setTimeRange(QCPRange(0.5, 1.0));
        QCOMPARE(plot.waveform()->appliedScale(), 1.0);
        plot.setTimeRange(QCPRange(-3, 9));  // clamped to the clip
        QCOMPARE(plot.timeRange(), QCPRange(0, 1.0));
    }

    void explanationReadoutPerRow() {
        ExplanationPlot plot;
        plot.resize(1000, 700);
        plot.show();
        const auto clip = sine(1000, 16000, 16000, 0.5f);
        plot.setClip(clip, 16000, computeSpectrogram(clip, 16000));
        plot.setRelevance(std::vector<float>(16000, 0.25f));
        plot.replot();
        QSignalSpy readout(&plot, &ExplanationPlot::readoutChanged);
        auto pointAt = [&](int row, double seconds, double value) {
            QCPAxisRect* rect = plot.rowRect(row);
            return QPoint(int(rect->axis(QCPAxis::atBottom)->coordToPixel(seconds)), int(rect->axis(QCPAxis::atLeft)->coordToPixel(value)));
        };
        QTest::mouseMove(&plot, pointAt(1, 0.5, 1000));  // the spectrogram, on the tone
        QTRY_VERIFY(!readout.isEmpty());
        QString text = readout.last().first().toString();
        QVERIFY2(std::abs(readoutTime(text) - 0.5) < 0.002 && text.contains(" Hz") && text.contains(" dB"), qPrintable(text));
        const double db = QRegularExpression("([-0-9.]+) dB").match(text).captured(1).toDouble();
        QVERIFY2(std::abs(db - (-12.0)) < 1.5, qPrintable(text));  // amplitude 0.5: about -12 dB
        QTest::mouseMove(&plot, pointAt(2, 0.25, 0.5));  // the strip: waveform values and R per frame
        QTRY_VERIFY(readout.last().first().toString().contains("R/frame"));
        text = readout.last().first().toString();
        QVERIFY2(text.contains("amplitude") && text.contains("R/frame +40"), qPrintable(text));  // 160 samples x 0.25
        // A double click shows the whole clip again. (Sent directly: QTest's own double click
        // leaves its mouse state such that later suites' moves over new windows are dropped.)
        plot.setTimeRange(QCPRange(0.2, 0.4));
        const QPoint at = pointAt(0, 0.3, 0);
        QMouseEvent twice(QEvent::MouseButtonDblClick, at, plot.mapToGlobal(at), Qt::LeftButton, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&plot, &twice);
        QCOMPARE(plot.timeRange(), QCPRange(0, 1.0));
    }

    // A new row is one TimeLayer and one addRow call: it gets the clip, the relevance, the shared
    // time range, the crosshair and its part of the readout, with nothing else to write.
    void aNewRowIsOneClassAndOneLine() {
        ExplanationPlot plot;
        plot.resize(1000, 800);
        plot.show();
        auto* probe = plot.addRow(std::make_unique<ProbeRow>());
        QCOMPARE(plot.rowCount(), 4);
        QVERIFY(probe->hadScale);
        const auto clip = sine(300, 8000, 16000);
        plot.setClip(clip, 16000, computeSpectrogram(clip, 16000));
        QCOMPARE(probe->samplesSeen, size_t(8000));
        QCOMPARE(probe->framesSeen, 51);
        plot.setRelevance(std::vector<float>(8000, 1.f));
        QCOMPARE(probe->relevanceSeen, size_t(8000));
        plot.setTimeRange(QCPRange(0.1, 0.2));
        QVERIFY(sameRange(probe->lastRange, QCPRange(0.1, 0.2)));
        QVERIFY(sameRange(probe->rect_->axis(QCPAxis::atBottom)->range(), QCPRange(0.1, 0.2)));
        // Dragging the new row's axis moves every row.
        probe->rect_->axis(QCPAxis::atBottom)->setRange(QCPRange(0.2, 0.3));
        QVERIFY(sameRange(plot.timeRange(), QCPRange(0.2, 0.3)));
        QCOMPARE(plot.rowRect(0)->axis(QCPAxis::atBottom)->range(), plot.timeRange());
        plot.replot();
        QSignalSpy readout(&plot, &ExplanationPlot::readoutChanged);
        QCPAxisRect* rect = probe->rect_;
        QTest::mouseMove(&plot, QPoint(int(rect->axis(QCPAxis::atBottom)->coordToPixel(0.25)), rect->center().y()));
        QTRY_VERIFY(!readout.isEmpty());
        const QString text = readout.last().first().toString();
        QVERIFY2(std::abs(readoutTime(text) - 0.25) < 0.002 && text.contains(QRegularExpression("   probe 0.2[45]$")), qPrintable(text));
    }

    void comparisonPlotSharedScale() {
        ComparisonPlot plot;
        plot.resize(900, 600);
        plot.show();
        plot.setClip(sine(300), 16000);
        std::vector<float> small(16000, 0.f), large(16000, 0.f);
        small[100] = 0.5f;
        large[200] = 4.f;
        plot.setMaps({{"small", "", small}, {"large", "", large}});
        plot.setSharedScale(true);
        QCOMPARE(plot.appliedScale(0), 4.0);
        QCOMPARE(plot.appliedScale(1), 4.0);
        plot.setSharedScale(false);
        QCOMPARE(plot.appliedScale(0), 0.5);
        QCOMPARE(plot.appliedScale(1), 4.0);
        QCOMPARE(plot.columnCount(), 1);
        plot.setMaps(std::vector<RelevanceMap>(6, RelevanceMap{"m", "", small}));
        QCOMPARE(plot.columnCount(), 1);  // up to six rows share one time axis
        plot.setMaps(std::vector<RelevanceMap>(9, RelevanceMap{"m", "", small}));
        QCOMPARE(plot.mapCount(), 9);
        QCOMPARE(plot.columnCount(), 2);
    }

    // The comparison's rows share the base's time axis rules and readout.
    void manyRowsShowOneAmplitudeLabelPerColumn() {
        // 22 rows (two columns of 11): an "amplitude" on every short row ran into its neighbours'.
        ComparisonPlot plot;
        plot.resize(1000, 900);
        plot.setClip(sine(300), 16000);
        std::vector<RelevanceMap> maps;
        for (int i = 0; i < 22; ++i) maps.push_back({QStringLiteral("m%1").arg(i), QString(), sine(200 + i)});
        plot.setMaps(maps);
        int labelled = 0;
        for (int i = 0; i < 22; ++i) labelled += !plot.rowRect(i)->axis(QCPAxis::atLeft)->label().isEmpty();
        QCOMPARE(labelled, 2);
        plot.setMaps({maps[0], maps[1]});  // two tall rows keep a label each
        QCOMPARE(plot.rowRect(0)->axis(QCPAxis::atLeft)->label().isEmpty(), false);
        QCOMPARE(plot.rowRect(1)->axis(QCPAxis::atLeft)->label().isEmpty(), false);
    }

    void comparisonRowsShareTheTimeAxis() {
        ComparisonPlot plot;
        plot.resize(900, 600);
        plot.show();
        plot.setClip(sine(300), 16000);
        std::vector<float> a(16000, 0.f), b(16000, 0.f);
        a[4000] = 1.f;
        b[12000] = -2.f;
        plot.setMaps({{"first", "3 ms", a}, {"second", "", b}});
        QSignalSpy ranges(&plot, &ComparisonPlot::timeRangeChanged);
        plot.rowRect(1)->axis(QCPAxis::atBottom)->setRange(QCPRange(0.5, 2.0));  // dragged past the end
        QCOMPARE(plot.timeRange(), QCPRange(0.0, 1.0));  // clamped to the clip
        QCOMPARE(plot.rowRect(0)->axis(QCPAxis::atBottom)->range(), plot.timeRange());
        plot.setTimeRange(QCPRange(0.6, 0.9));
        QVERIFY(sameRange(plot.rowRect(0)->axis(QCPAxis::atBottom)->range(), QCPRange(0.6, 0.9)));
        QVERIFY(sameRange(ranges.last().first().value<QCPRange>(), QCPRange(0.6, 0.9)));
        // Only the second map has relevance in view now: the shared scale follows it.
        QCOMPARE(plot.appliedScale(0), 2.0);
        plot.setTimeRange(QCPRange(0.6, 0.9));  // no change: no signal (linked plots settle)
        const int signalsSoFar = ranges.size();
        plot.setTimeRange(QCPRange(0.6, 0.9));
        QCOMPARE(ranges.size(), signalsSoFar);
        plot.replot();
        QSignalSpy readout(&plot, &ComparisonPlot::readoutChanged);
        QCPAxisRect* rect = plot.rowRect(1);
        QTest::mouseMove(&plot, QPoint(int(rect->axis(QCPAxis::atBottom)->coordToPixel(0.75)), rect->center().y()));
        QTRY_VERIFY(!readout.isEmpty());
        const QString text = readout.last().first().toString();
        QVERIFY2(text.startsWith("second   t ") && std::abs(readoutTime(text) - 0.75) < 0.002 && text.contains("R "), qPrintable(text));
    }

    // The header's max |R| is the data's own maximum: not the largest per-pixel-column sum, which
    // grows with the column width (the window's size, the export's size).
    void comparisonHeaderStatesTheDatasMaxAtAnySize() {
        ComparisonPlot plot;
        plot.resize(900, 600);
        plot.show();
        plot.setClip(sine(300), 16000);
        std::vector<float> r(16000);
        for (int i = 0; i < 16000; ++i) r[size_t(i)] = float(std::sin(0.01 * i) * (i > 8000 ? 6.43 : 1.0));
        const auto stats = s4scope::signal::relevanceStats(r);
        RelevanceMap map{"Gradient", "3 ms", r};
        map.maxAbs = stats.maxAbs;
        map.sum = stats.sum;
        map.conservation = "(target logit 12.3: 1.6 % off)";
        plot.setMaps({map});
        plot.replot();
        const QString header = plot.rowHeader(0);
        QVERIFY2(header.contains(QString("max |R| %1").arg(stats.maxAbs, 0, 'g', 3)), qPrintable(header));
        QVERIFY2(header.contains("max |R| 6.43"), qPrintable(header));
        QVERIFY2(header.contains(QString("ΣR %1").arg(stats.sum, 0, 'g', 3)), qPrintable(header));
        QVERIFY2(header.contains("target logit 12.3: 1.6 % off"), qPrintable(header));
        const double pooledAt900 = plot.appliedScale(0);
        plot.resize(400, 300);
        plot.replot();
        QVERIFY(plot.appliedScale(0) != pooledAt900);  // the colours' pooling did change with the width...
        QCOMPARE(plot.rowHeader(0), header);             // ...the stated max |R| did not
        QTemporaryDir dir;
        plot.exportFigure(dir.filePath("wide.png"), {2400, 800, 96});
        QCOMPARE(plot.rowHeader(0), header);
    }

    // Digital silence is the darkest colour of the map, not (as when the range was anchored on the
    // clip's own maximum) the brightest.
    void silenceIsTheDarkestSpectrogramColour() {
        ExplanationPlot plot;
        plot.resize(1000, 700);
        plot.show();
        const std::vector<float> silence(16000, 0.f);
        plot.setClip(silence, 16000, computeSpectrogram(silence, 16000));
        plot.replot();
        QCPColorMap* map = plot.spectrogram()->colourMap();
        const auto& s = plot.spectrogram()->spectrogram();
        QCOMPARE(s.maxDb(), s.floorDb);
        QCOMPARE(map->dataRange().lower, double(s.floorDb));
        QCPColorGradient gradient = map->gradient();
        const QColor darkest = QColor::fromRgb(gradient.color(0, QCPRange(0, 1)));
        QCOMPARE(QColor::fromRgb(gradient.color(s.floorDb, map->dataRange())), darkest);
        // On screen too: the middle of the spectrogram's rect.
        const QImage image = plot.grab().toImage();
        QCPAxisRect* rect = plot.spectrogram()->colourMap()->keyAxis()->axisRect();
        const QColor drawn = image.pixelColor(rect->center() * image.devicePixelRatio());
        QVERIFY2(std::abs(drawn.red() - darkest.red()) + std::abs(drawn.green() - darkest.green()) + std::abs(drawn.blue() - darkest.blue()) < 12,
                 qPrintable(drawn.name() + " vs " + darkest.name()));
        // A tone still spans the usual 80 dB below its peak.
        const auto tone = sine(440, 16000, 16000, 0.5f);
        plot.setClip(tone, 16000, computeSpectrogram(tone, 16000));
        QCOMPARE(map->dataRange().upper, std::ceil(plot.spectrogram()->spectrogram().maxDb() / 10.0) * 10.0);
    }

    // From 2 to 22 methods: values in the cells while they fit, hidden (and in the tooltip) when
    // they do not; labels shrink with the cells; the clustering order groups agreeing methods.
    void agreementPlotStaysReadableFrom2To22Methods() {
        auto agreementFor = [](int n) {
            std::vector<std::vector<float>> maps;
            QStringList names;
            for (int m = 0; m < n; ++m) {
                std::vector<float> r(16000);
                for (int i = 0; i < 16000; ++i) r[size_t(i)] = float(std::sin(0.002 * i * (1 + m % 3)) + 0.1 * std::sin(0.37 * i * (m + 1)));
                maps.push_back(r);
                names << QString("method %1").arg(m);
            }
            return std::make_pair(names, s4scope::signal::agreementOf(maps, 16000));
        };
        AgreementPlot plot;
        plot.resize(420, 400);
        plot.show();
        for (int n : {2, 6, 22}) {
            const auto [names, agreement] = agreementFor(n);
            plot.setAgreement(names, agreement);
            plot.replot();
            plot.replot();  // the labels' fitted size lays out once more
            QCOMPARE(plot.names(), names);
            QCOMPARE(plot.cellTextShown(), n <= 6);  // 22 cells of ~14 px hold no readable number
            // Every value is a hover away.
            QCPAxisRect* rect = plot.axisRect();
            const QPointF cellCentre(plot.xAxis->coordToPixel(n - 1), plot.yAxis->coordToPixel(0));
            QCOMPARE(plot.cellAt(cellCentre), QPoint(n - 1, 0));
            const QString tip = plot.cellToolTip(0, n - 1);
            QVERIFY2(tip.contains(names[0]) && tip.contains(names[n - 1]) &&
                         tip.contains(QString::number(agreement.of(Correlation::Pearson)[size_t(n - 1)], 'f', 3)),
                     qPrintable(tip));
            QCOMPARE(plot.cellAt(QPointF(rect->left() - 20, rect->top() - 20)), QPoint(-1, -1));
            // Row labels no taller than their cells (nothing collides).
            const double cell = rect->height() / double(n);
            QVERIFY2(QFontMetricsF(plot.yAxis->tickLabelFont()).height() <= std::max(cell, 9.0) + 1,
                     qPrintable(QString("%1 px labels for %2 px cells").arg(QFontMetricsF(plot.yAxis->tickLabelFont()).height()).arg(cell)));
        }
        // Scale, measure and order pick among the worker's matrices; the plot computes nothing.
        const auto [names, agreement] = agreementFor(6);
        plot.setAgreement(names, agreement);
        for (int scale = 0; scale < 4; ++scale)
            for (Correlation kind : {Correlation::Pearson, Correlation::Spearman, Correlation::TopKOverlap}) {
                plot.setScale(scale);
                plot.setCorrelation(kind);
                QCOMPARE(plot.matrix(), agreement.of(kind, scale));
            }
        plot.setClustered(true);
        const auto* m = agreement.find(plot.correlation(), plot.scale());
        QCOMPARE(plot.names()[0], names[m->clusterOrder[0]]);
        QCOMPARE(plot.matrix()[1], m->values[size_t(m->clusterOrder[0] * 6 + m->clusterOrder[1])]);
    }

    // Keyboard: Left/Right pan, +/- zoom time, Up/Down zoom the amplitude, Home resets;
    // Shift+drag zooms to the dragged span; Ctrl+wheel zooms the amplitude.
    void keyboardAndDragZoom() {
        ExplanationPlot plot;
        plot.resize(1000, 700);
        plot.show();
        const auto clip = sine(440, 16000, 16000, 0.5f);
        plot.setClip(clip, 16000, computeSpectrogram(clip, 16000));
        plot.setTimeRange(QCPRange(0.2, 0.4));
        QTest::keyClick(&plot, Qt::Key_Right);
        QVERIFY(sameRange(plot.timeRange(), QCPRange(0.24, 0.44)));
        QTest::keyClick(&plot, Qt::Key_Left);
        QVERIFY(sameRange(plot.timeRange(), QCPRange(0.2, 0.4)));
        QTest::keyClick(&plot, Qt::Key_Plus);
        QVERIFY(sameRange(plot.timeRange(), QCPRange(0.25, 0.35)));
        QTest::keyClick(&plot, Qt::Key_Minus);
        QVERIFY(sameRange(plot.timeRange(), QCPRange(0.2, 0.4)));
        QCPAxis* amplitude = plot.waveform()->rect()->axis(QCPAxis::atLeft);
        const QCPRange full = amplitude->range();
        QTest::keyClick(&plot, Qt::Key_Up);
        QVERIFY(std::abs(amplitude->range().size() - 0.5 * full.size()) < 1e-9);
        QVERIFY(std::abs(amplitude->range().center()) < 1e-12);
        QTest::keyClick(&plot, Qt::Key_Home);
        QVERIFY(sameRange(amplitude->range(), full));
        QCOMPARE(plot.timeRange(), QCPRange(0, 1.0));
        const double before = plot.spectrogram()->colourMap()->valueAxis()->range().size();
        QTest::keyClick(&plot, Qt::Key_Up);
        QCOMPARE(plot.spectrogram()->colourMap()->valueAxis()->range().size(), before);  // frequency stays
        QTest::keyClick(&plot, Qt::Key_Home);
        plot.replot();
        // Shift+drag from 0.25 s to 0.5 s over the waveform.
        QCPAxis* time = plot.waveform()->rect()->axis(QCPAxis::atBottom);
        const int y = plot.waveform()->rect()->center().y();
        const QPoint from(int(time->coordToPixel(0.25)), y), to(int(time->coordToPixel(0.5)), y);
        QTest::mousePress(&plot, Qt::LeftButton, Qt::ShiftModifier, from);
        QMouseEvent move(QEvent::MouseMove, QPointF(to), plot.mapToGlobal(QPointF(to)), Qt::NoButton, Qt::LeftButton, Qt::ShiftModifier);
        QApplication::sendEvent(&plot, &move);
        QTest::mouseRelease(&plot, Qt::LeftButton, Qt::ShiftModifier, to);
        QVERIFY2(std::abs(plot.timeRange().lower - 0.25) < 0.003 && std::abs(plot.timeRange().upper - 0.5) < 0.003,
                 qPrintable(QString("%1 .. %2").arg(plot.timeRange().lower).arg(plot.timeRange().upper)));
        QWheelEvent wheel(QPointF(from), plot.mapToGlobal(QPointF(from)), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::ControlModifier,
                          Qt::NoScrollPhase, false);
        QApplication::sendEvent(&plot, &wheel);
        QVERIFY(std::abs(amplitude->range().size() - 0.8 * full.size()) < 1e-9);
        QVERIFY(std::abs(plot.timeRange().lower - 0.25) < 0.003);  // the time axis did not zoom
    }

    // Numbers on plots are C-locale ("0.5", never "0,5"), whatever the user's locale.
    void plotNumbersUseTheCLocale() {
        const QLocale saved;
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
        {
            ExplanationPlot plot;
            plot.resize(800, 600);
            plot.show();
            const auto clip = sine(440, 16000, 16000, 0.5f);
            plot.setClip(clip, 16000, computeSpectrogram(clip, 16000));
            plot.replot();
            const QVector<QString> labels = plot.waveform()->rect()->axis(QCPAxis::atBottom)->tickVectorLabels();
            QVERIFY(!labels.isEmpty());
            for (const QString& label : labels) QVERIFY2(!label.contains(','), qPrintable(label));
            QVERIFY(std::any_of(labels.begin(), labels.end(), [](const QString& l) { return l.contains('.'); }));
        }
        QLocale::setDefault(saved);
    }

    // The PDF page is the figure's physical size (width/96 inch, as the PNG's pixels/DPI and the
    // SVG) and the spectrogram inside it is a lossless image, not JPEG.
    void pdfIsVectorWithALosslessSpectrogram() {
        QTemporaryDir dir;
        ExplanationPlot plot;
        plot.resize(1000, 700);
        const auto clip = sine(440, 16000, 16000, 0.5f);
        plot.setClip(clip, 16000, computeSpectrogram(clip, 16000));
        plot.exportFigure(dir.filePath("f.pdf"), {1200, 800, 300});
        plot.exportFigure(dir.filePath("f.png"), {1200, 800, 300});
        QFile pdf(dir.filePath("f.pdf"));
        QVERIFY(pdf.open(QIODevice::ReadOnly));
        const QByteArray bytes = pdf.readAll();
        QVERIFY(!bytes.contains("/DCTDecode"));
        QVERIFY(bytes.contains("/Image"));
        const auto box = QRegularExpression(R"(/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\])").match(QString::fromLatin1(bytes));
        QVERIFY(box.hasMatch());
        QVERIFY2(std::abs(box.captured(1).toDouble() - 900) < 1 && std::abs(box.captured(2).toDouble() - 600) < 1,
                 qPrintable(box.captured(0)));  // 1200 x 800 logical pixels = 12.5 x 8.33 in = 900 x 600 pt
        const QImage png(dir.filePath("f.png"));
        QCOMPARE(png.size(), QSize(3750, 2500));  // the same 12.5 x 8.33 in at 300 DPI
        QCOMPARE(png.dotsPerMeterX(), qRound(300 / 0.0254));
    }

    // The title and the labels stay inside the widget at every width the window gives the panel
    // (down to its minimum) for 6 and 22 methods and the longest measure name: the title breaks
    // into two lines, then shrinks, instead of clipping ("reement between methods…" at 1500 px).
    void agreementTitleAndLabelsStayInside() {
        const QStringList longNames = {"Gradient", "Gradient x Input", "Integrated Gradients", "SmoothGrad", "LRP-ε + flat",
                                       "LRP composite", "Guided Backprop", "Gradient x SIGN", "SmoothGrad²", "VarGrad",
                                       "LRP-0", "LRP-γ", "LRP-α1β0", "LRP-α2β1", "LRP-z⁺", "LRP-ε + w²", "LRP-ε + SIGN",
                                       "LRP-0 + SIGN", "DeepLIFT", "Grad-CAM", "Occlusion", "LRP-ε"};
        for (int n : {6, 22}) {
            std::vector<std::vector<float>> maps;
            for (int m = 0; m < n; ++m) {
                std::vector<float> r(16000);
                for (int i = 0; i < 16000; ++i) r[size_t(i)] = float(std::sin(0.002 * i * (1 + m % 3)) + 0.1 * std::sin(0.37 * i * (m + 1)));
                maps.push_back(r);
            }
            const auto agreement = s4scope::signal::agreementOf(maps, 16000);
            for (const QSize size : {QSize(280, 260), QSize(380, 520), QSize(700, 600)}) {
                AgreementPlot plot;
                plot.resize(size);
                plot.show();
                plot.setAgreement(longNames.mid(0, n), agreement);
                for (Correlation kind : {Correlation::Pearson, Correlation::TopKOverlap}) {
                    plot.setCorrelation(kind);
                    plot.setScale(0);  // "per sample": the longest scale name
                    plot.replot();
                    const QString what = QString("%1 methods at %2 x %3: '%4'").arg(n).arg(size.width()).arg(size.height()).arg(plot.title());
                    QVERIFY2(plot.rect().contains(plot.titleTextRect()), qPrintable(what));
                    QVERIFY2(plot.title().contains("Agreement between methods"), qPrintable(what));
                    // Row labels: the widest one ends inside the widget on the left; the colour scale on the right.
                    int widest = 0;
                    for (const QString& name : longNames.mid(0, n))
                        widest = std::max(widest, QFontMetrics(plot.yAxis->tickLabelFont()).horizontalAdvance(name));
                    QVERIFY2(plot.axisRect()->left() - plot.yAxis->tickLabelPadding() - plot.yAxis->tickLengthOut() - widest >= 0, qPrintable(what));
                    QVERIFY2(plot.rect().contains(plot.axisRect()->outerRect()), qPrintable(what));
                    for (int i = 0; i < plot.plotLayout()->elementCount(); ++i)
                        if (auto* element = plot.plotLayout()->elementAt(i))
                            QVERIFY2(plot.rect().contains(element->outerRect()), qPrintable(what));
                }
            }
        }
    }

    // Under a German locale (de_DE: "0,5") every number the plots draw keeps its decimal point:
    // the probability labels ("0.0", not "0,0"), the axes' tick labels, the agreement's cells and
    // colour scale. (The machine has no de_DE for the C library; Qt's own locale data is enough.)
    void numbersKeepTheirPointUnderAGermanLocale() {
        const QLocale previous;
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
        QCOMPARE(QLocale().toString(0.5, 'f', 1), QString("0,5"));  // the trap is set
        QStringList drawn;
        auto collect = [&](QCustomPlot& plot) {
            plot.replot();
            for (int i = 0; i < plot.itemCount(); ++i)
                if (auto* text = qobject_cast<QCPItemText*>(plot.item(i)); text && text->visible()) drawn << text->text();
            for (QCPAxisRect* rect : plot.axisRects())
                for (QCPAxis* axis : rect->axes()) drawn += axis->tickVectorLabels().toList();
            for (auto* scale : plot.findChildren<QCPColorScale*>()) drawn += scale->axis()->tickVectorLabels().toList();
        };
        ProbabilityPlot probabilities;
        probabilities.resize(600, 300);
        probabilities.setLabels({"yes", "no", "up", "down"});
        probabilities.setProbabilities({0.0f, 0.054f, 0.006f, 0.94f}, 3, -1);
        collect(probabilities);
        QStringList values;
        for (int i = 0; i < probabilities.itemCount(); ++i)
            if (auto* text = qobject_cast<QCPItemText*>(probabilities.item(i))) values << text->text();
        QCOMPARE(values, QStringList({"0.0", "5.4", "0.6", "94"}));
        // The near-zero bars' labels sit on the class axis, centred on the class's tick: a tick drawn
        // into the plot ran through their decimal point and "0.0" read as "0,0" (issue 15).
        QCOMPARE(probabilities.xAxis->tickLengthIn(), 0);
        QCOMPARE(probabilities.xAxis->subTicks(), false);
        ExplanationPlot explanation;
        explanation.resize(800, 600);
        const auto clip = sine(300, 16000, 16000, 0.5f);
        explanation.setClip(clip, 16000, computeSpectrogram(clip, 16000));
        explanation.setTimeOrigin(2.5);
        collect(explanation);
        AgreementPlot agreement;
        agreement.resize(400, 400);
        agreement.setAgreement({"a", "b", "c"}, s4scope::signal::agreementOf({sine(3), sine(4), sine(5, 16000, 16000, -1)}, 16000));
        collect(agreement);
        QLocale::setDefault(previous);
        QVERIFY(drawn.size() > 30);
        QVERIFY2(drawn.filter(QRegularExpression("^-?\\d+\\.\\d+$")).size() > 10, qPrintable(drawn.join(" | ")));
        QVERIFY2(drawn.filter(",").isEmpty(), qPrintable(drawn.filter(",").join(" | ")));
        QVERIFY2(!drawn.filter(QRegularExpression("^[23]\\.\\d+$")).isEmpty(), qPrintable(drawn.join(" | ")));  // file time on the axis
    }

    void figureExportWritesEveryFormat() {
        QTemporaryDir dir;
        AgreementPlot plot;
        plot.resize(500, 450);
        plot.setAgreement({"a", "b"}, s4scope::signal::agreementOf({{1, 2, 3}, {3, 2, 1}}, 16000));
        plot.setScale(0);  // per sample: three samples make one frame at every other scale
        QCOMPARE(plot.matrix()[1], -1.0);
        plot.exportFigure(dir.filePath("m.png"), {400, 300, 96});
        plot.exportFigure(dir.filePath("m.svg"), {400, 300, 96});
        plot.exportFigure(dir.filePath("m.pdf"), {400, 300, 96});
        const QImage image(dir.filePath("m.png"));
        QCOMPARE(image.size(), QSize(400, 300));
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x) colours.insert(image.pixel(x, y));
        QVERIFY(colours.size() > 20);
        QFile svg(dir.filePath("m.svg")), pdf(dir.filePath("m.pdf"));
        QVERIFY(svg.open(QIODevice::ReadOnly) && svg.readAll().contains("<svg"));
        QVERIFY(pdf.open(QIODevice::ReadOnly) && pdf.read(5) == "%PDF-");
        bool refused = false;
        try {
            plot.exportFigure(dir.filePath("m.gif"), FigureOptions{});
        } catch (const s4scope::Error&) {
            refused = true;
        }
        QVERIFY(refused);
    }
};

QTEST_MAIN(TestGuiViews)
#include "test_gui_views.moc"
