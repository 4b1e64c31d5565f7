// The views' own logic, without the main window: STFT, pooling, correlation, colour maps, time
// axis rules, and the plots' data and exports.
#include <QFile>
#include <QImage>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <numeric>

#include "s4scope/error.h"
#include "views/agreement_plot.h"
#include "views/colour_maps.h"
#include "views/comparison_plot.h"
#include "views/correlation.h"
#include "views/explanation_plot.h"
#include "views/relevance_pooling.h"
#include "views/relevance_strip_layer.h"
#include "views/spectrogram_layer.h"
#include "views/stft.h"
#include "views/time_range.h"
#include "views/waveform_layer.h"

using namespace s4scope::views;

namespace {

std::vector<float> sine(double hz, int n = 16000, int rate = 16000, float amplitude = 1.f) {
    std::vector<float> v(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) v[size_t(i)] = amplitude * float(std::sin(2 * M_PI * hz * i / rate));
    return v;
}

}  // namespace

class TestGuiViews : public QObject {
    Q_OBJECT
private slots:
    void stftHasCentredFramesAndFindsTheTone() {
        const Spectrogram s = computeSpectrogram(sine(1000), 16000);
        QCOMPARE(s.windowSamples, 400);  // 25 ms
        QCOMPARE(s.hopSamples, 160);     // 10 ms
        QCOMPARE(s.frames, 101);         // centred: t = 0, 10 ms, ..., 1 s
        QCOMPARE(s.frameTime(50), 0.5);
        QCOMPARE(s.bins, 257);
        int peak = 0;
        for (int b = 0; b < s.bins; ++b)
            if (s.at(50, b) > s.at(50, peak)) peak = b;
        QVERIFY(std::abs(peak * s.binHz - 1000.0) <= s.binHz);
        QVERIFY(std::abs(s.at(50, peak) - (-6.0f)) < 1.5f);  // a full-scale sine: about -6 dB
        QVERIFY(s.at(50, 200) < -60);
    }

    void stftOfSilenceIsTheFloor() {
        const Spectrogram s = computeSpectrogram(std::vector<float>(16000, 0.f), 16000);
        QCOMPARE(s.maxDb(), -120.f);
    }

    void poolingConservesRelevance() {
        std::vector<float> r(16000);
        for (size_t i = 0; i < r.size(); ++i) r[i] = float(std::sin(0.01 * double(i)));
        const double total = std::accumulate(r.begin(), r.end(), 0.0);
        const auto bins = poolRelevance(r, 0, 16000, 997);
        QCOMPARE(int(bins.size()), 997);
        QVERIFY(std::abs(std::accumulate(bins.begin(), bins.end(), 0.0) - total) < 1e-6);
        const auto frames = poolPerFrame(r, 160, 101);
        QVERIFY(std::abs(std::accumulate(frames.begin(), frames.end(), 0.0) - total) < 1e-6);
        // Frame i covers the hop centred on sample i * 160.
        std::vector<float> impulse(16000, 0.f);
        impulse[8000 + 79] = 1.f;
        impulse[8000 - 80] = 2.f;
        const auto f = poolPerFrame(impulse, 160, 101);
        QCOMPARE(f[50], 3.0);
        QCOMPARE(maxAbs(f), 3.0);
    }

    void correlations() {
        const std::vector<float> a{1, 2, 3, 4, 5}, b{2, 4, 6, 8, 10}, c{5, 4, 3, 2, 1}, d{1, 4, 9, 16, 100};
        QCOMPARE(pearson(a, b), 1.0);
        QCOMPARE(pearson(a, c), -1.0);
        QVERIFY(pearson(a, d) < 1.0);
        QCOMPARE(spearman(a, d), 1.0);  // monotonic
        QCOMPARE(spearman(std::vector<float>{1, 1, 2}, std::vector<float>{3, 3, 4}), 1.0);  // ties
        QVERIFY(std::isnan(pearson(a, std::vector<float>(5, 2.f))));
        const auto m = agreementMatrix(Correlation::Pearson, {a, b, c});
        QCOMPARE(m[0], 1.0);
        QCOMPARE(m[2], -1.0);
        QCOMPARE(m[6], -1.0);
    }

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
        plot.setClip(clip, 16000);
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

    void figureExportWritesEveryFormat() {
        QTemporaryDir dir;
        AgreementPlot plot;
        plot.resize(500, 450);
        plot.setMaps({"a", "b"}, {{1, 2, 3}, {3, 2, 1}});
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
