// The views' own logic, without the main window: colour maps, time axis rules, the time-linked
// rows, and the plots' data and exports. (STFT, pooling and correlation: test_signal.)
#include <QFile>
#include <QImage>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <numeric>

#include "s4scope/error.h"
#include "signal/spectrogram.h"
#include "views/agreement_plot.h"
#include "views/colour_maps.h"
#include "views/comparison_plot.h"
#include "views/explanation_plot.h"
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

    void figureExportWritesEveryFormat() {
        QTemporaryDir dir;
        AgreementPlot plot;
        plot.resize(500, 450);
        plot.setAgreement({"a", "b"}, s4scope::signal::agreementOf({{1, 2, 3}, {3, 2, 1}}));
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
