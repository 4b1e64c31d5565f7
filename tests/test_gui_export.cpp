// Exports from the real main window: figures as PNG (size and DPI honoured, not blank), SVG and
// PDF, and relevance + logits as CSV, JSON and NPY.
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QSvgRenderer>

#include "gui_test_support.h"
#include "views/comparison_plot.h"

using s4scope::app::FigureTarget;
using s4scope::app::Explorer;
using s4scope::app::MainWindow;

namespace {

QByteArray head(const QString& path, int bytes) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.read(bytes) : QByteArray();
}

int distinctColours(const QImage& image) {
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x < image.width(); x += 2) colours.insert(image.pixel(x, y));
    return int(colours.size());
}

}  // namespace

class TestGuiExport : public QObject {
    Q_OBJECT
    QTemporaryDir settingsDir_;
    QTemporaryDir out_;
    std::unique_ptr<MainWindow> window_;

    void checkFigures(FigureTarget target, const QString& stem) {
        const s4scope::views::FigureOptions options{900, 600, 192};
        const QString png = out_.filePath(stem + ".png"), svg = out_.filePath(stem + ".svg"), pdf = out_.filePath(stem + ".pdf");
        QVERIFY(window_->exportFigure(target, png, options));
        QVERIFY(window_->exportFigure(target, svg, options));
        QVERIFY(window_->exportFigure(target, pdf, options));

        QVERIFY(head(png, 8).startsWith("\x89PNG\r\n\x1a\n"));
        const QImage image(png);
        QCOMPARE(image.size(), QSize(1800, 1200));  // 900 x 600 points at 192 DPI
        QVERIFY2(std::abs(image.dotsPerMeterX() - 192 / 0.0254) < 2, "the PNG's resolution tag is not 192 DPI");
        QVERIFY2(distinctColours(image) > 200, "the PNG looks blank");

        QVERIFY(QFileInfo(svg).size() > 20000);
        QVERIFY2(QSvgRenderer(svg).isValid(), "the SVG does not parse");
        const QByteArray svgText = head(svg, 400);
        QVERIFY(svgText.startsWith("<?xml") && svgText.contains("<svg"));
        QVERIFY2(head(svg, 10000000).contains("time (s)") || head(svg, 10000000).contains("method"),
                 "the SVG holds no axis label text");

        QVERIFY(head(pdf, 5) == "%PDF-");
        QVERIFY(QFileInfo(pdf).size() > 10000);
        QVERIFY(head(pdf, 100000000).trimmed().endsWith("%%EOF"));
    }

private slots:
    void initTestCase() {
        window_ = guitest::shownWindow(settingsDir_);
        QVERIFY(guitest::waitForModel(*window_));
        QVERIFY(guitest::openClip(*window_, guitest::clipPath("no")));
        QVERIFY(window_->explorer()->explanation().has_value());  // "explain on load" is on by default
        QSignalSpy compared(window_->explorer(), &Explorer::comparisonReady);
        window_->compare({"gradient_x_input", "lrp_epsilon", "lrp_z"});
        QVERIFY(compared.wait(60000));
    }

    void explanationViewFigures() { checkFigures(FigureTarget::Explanation, "explanation"); }
    void comparisonGridFigures() { checkFigures(FigureTarget::Comparison, "comparison"); }
    void agreementMatrixFigures() { checkFigures(FigureTarget::Agreement, "agreement"); }

    void unknownFormatIsAnErrorDialog() {
        QVERIFY(!window_->exportFigure(FigureTarget::Explanation, out_.filePath("figure.bmp"), {}));
        QMessageBox* box = guitest::errorDialog(*window_);
        QVERIFY(box);
        QVERIFY(box->text().contains("figure.bmp"));
        guitest::closeDialog(box);
        QTRY_VERIFY(!guitest::errorDialog(*window_));
    }

    void explanationData() {
        const auto& e = *window_->explorer()->explanation();
        const QString csv = out_.filePath("relevance.csv"), json = out_.filePath("relevance.json"), npy = out_.filePath("relevance.npy");
        QVERIFY(window_->exportExplanationData(csv));
        QVERIFY(window_->exportExplanationData(json));
        QVERIFY(window_->exportExplanationData(npy));

        QFile csvFile(csv);
        QVERIFY(csvFile.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = csvFile.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), int(e.relevance.size()) + 1);
        QVERIFY(lines.first().contains("relevance"));
        QFile logitsCsv(out_.filePath("relevance_logits.csv"));
        QVERIFY(logitsCsv.open(QIODevice::ReadOnly));
        QCOMPARE(logitsCsv.readAll().trimmed().split('\n').size(), int(e.logits.size()) + 1);

        const QJsonObject root = QJsonDocument::fromJson(head(json, 100000000)).object();
        QCOMPARE(root.value("method").toString().toStdString(), e.method);
        QCOMPARE(root.value("relevance").toArray().size(), qsizetype(e.relevance.size()));
        QCOMPARE(root.value("logits").toArray().size(), qsizetype(e.logits.size()));

        QVERIFY(head(npy, 6) == "\x93NUMPY");
        const qint64 header = QFileInfo(npy).size() - qint64(4 * e.relevance.size());  // float32 data after the header
        QVERIFY(header > 10 && header <= 256);
        QVERIFY(head(out_.filePath("relevance_logits.npy"), 6) == "\x93NUMPY");
    }

    void comparisonData() {
        const QString npy = out_.filePath("comparison.npy"), csv = out_.filePath("comparison.csv");
        QVERIFY(window_->exportComparisonData(npy));
        QVERIFY(window_->exportComparisonData(csv));
        QVERIFY(head(npy, 100).contains("(3, 16000)"));
        QVERIFY(head(csv, 200).startsWith("sample,time_s,amplitude,gradient_x_input,lrp_epsilon,lrp_z"));
        const QByteArray table = head(csv, 100000000);
        QVERIFY2(!table.contains(",-0,") && !table.contains(",-0\n"), "the CSV prints a negative zero");

        // A bare array does not say which row is which: the sidecar names them and holds the agreement.
        const auto& comparison = window_->explorer()->comparison();
        const auto& stats = window_->explorer()->comparisonStats();
        const QJsonObject sidecar = QJsonDocument::fromJson(head(out_.filePath("comparison_methods.json"), 100000000)).object();
        const QJsonArray methods = sidecar.value("methods").toArray();
        QCOMPARE(methods.size(), qsizetype(3));
        for (int i = 0; i < 3; ++i) {
            const QJsonObject m = methods[i].toObject();
            QCOMPARE(m.value("id").toString().toStdString(), comparison[size_t(i)].method);
            QCOMPARE(m.value("name").toString(), window_->comparisonPlot()->mapName(i));
            // The true max |R| and ΣR of the data.
            double maxAbs = 0, sum = 0;
            for (float v : comparison[size_t(i)].relevance) maxAbs = std::max(maxAbs, double(std::abs(v))), sum += v;
            QCOMPARE(m.value("max_abs").toDouble(), maxAbs);
            QVERIFY(std::abs(m.value("sum").toDouble() - sum) < 1e-9 * std::max(1.0, std::abs(sum)));
            QCOMPARE(m.value("max_abs").toDouble(), stats[size_t(i)].maxAbs);
            if (comparison[size_t(i)].conservation)
                QCOMPARE(m.value("conservation").toObject().value("total").toDouble(), comparison[size_t(i)].conservation->total);
        }
        const QJsonArray scales = sidecar.value("agreement").toObject().value("scales").toArray();
        QCOMPARE(scales.size(), qsizetype(4));
        const auto& agreement = window_->explorer()->agreement();
        for (int s = 0; s < 4; ++s)
            for (int k = 0; k < 3; ++k) {
                const auto kind = s4scope::signal::Correlation(k);
                const QJsonArray rows = scales[s].toObject().value(s4scope::signal::correlationKey(kind)).toArray();
                QCOMPARE(rows.size(), qsizetype(3));
                for (int i = 0; i < 3; ++i)
                    for (int j = 0; j < 3; ++j) {
                        const double v = agreement.of(kind, s)[size_t(i * 3 + j)];
                        const QJsonValue cell = rows[i].toArray()[j];
                        if (std::isnan(v)) QVERIFY(cell.isNull());
                        else QCOMPARE(cell.toDouble(), v);
                    }
            }
        // The CSV's sidecars: names with max |R| and ΣR, and the agreement in long format.
        const QList<QByteArray> methodRows = head(out_.filePath("comparison_methods.csv"), 1000000).trimmed().split('\n');
        QCOMPARE(methodRows.size(), 4);
        QVERIFY(methodRows[0].startsWith("row,id,name,max_abs,sum"));
        QVERIFY(methodRows[1].startsWith("0,gradient_x_input,"));
        const QByteArray longTable = head(out_.filePath("comparison_agreement.csv"), 10000000);
        QVERIFY(longTable.startsWith("scale,frame_samples,measure,method_a,method_b,value\n"));
        QCOMPARE(longTable.trimmed().split('\n').size(), 1 + 4 * 3 * 9);
        QVERIFY(longTable.contains("10 ms,160,spearman,lrp_epsilon,lrp_z,"));
        QVERIFY(!longTable.contains(",-0\n"));

        // JSON: the same, with each method's record.
        const QString json = out_.filePath("comparison.json");
        QVERIFY(window_->exportComparisonData(json));
        const QJsonObject root = QJsonDocument::fromJson(head(json, 1000000000)).object();
        QCOMPARE(root.value("methods").toArray().size(), qsizetype(3));
        QCOMPARE(root.value("explanations").toArray().size(), qsizetype(3));
        QCOMPARE(root.value("explanations").toArray()[0].toObject().value("max_abs").toDouble(), stats[0].maxAbs);
        QCOMPARE(root.value("agreement").toObject().value("scales").toArray().size(), qsizetype(4));
    }

    void cleanupTestCase() {
        QVERIFY(guitest::waitForIdle(*window_));
        window_.reset();
    }
};

QTEST_MAIN(TestGuiExport)
#include "test_gui_export.moc"
