// s4scope-cli figure: the explorer's figures without a display, checked as files (PNG size and
// DPI, SVG as XML, PDF header and page size) and against the explorer's own export.
#include <QtTest>

#include <QImage>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QXmlStreamReader>

#include "cli_test_support.h"
#include "s4scope/attribution.h"
#include "s4scope/model.h"
#include "s4scope/resources.h"
#include "signal/correlation.h"

using namespace clitest;

namespace {

// The first /MediaBox [x0 y0 x1 y1] of a PDF, in points.
QRectF mediaBox(const QByteArray& pdf) {
    const auto m = QRegularExpression("/MediaBox\\s*\\[\\s*([-\\d.]+)\\s+([-\\d.]+)\\s+([-\\d.]+)\\s+([-\\d.]+)\\s*\\]")
                       .match(QString::fromLatin1(pdf));
    if (!m.hasMatch()) return {};
    return QRectF(QPointF(m.captured(1).toDouble(), m.captured(2).toDouble()),
                  QPointF(m.captured(3).toDouble(), m.captured(4).toDouble()));
}

// Every <text> of an SVG, in document order.
QStringList svgTexts(const QString& path) {
    QFile file(path);
    QStringList texts;
    if (!file.open(QIODevice::ReadOnly)) return texts;
    QXmlStreamReader xml(&file);
    while (!xml.atEnd())
        if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == QLatin1String("text"))
            texts << xml.readElementText(QXmlStreamReader::IncludeChildElements).simplified();
    return texts;
}

}  // namespace

class TestCliFigure : public QObject {
    Q_OBJECT

private slots:
    void pngSvgPdfForSeveralMethods() {
        QTemporaryDir dir;
        auto env = QProcessEnvironment::systemEnvironment();
        env.remove("DISPLAY");
        env.remove("WAYLAND_DISPLAY");
        env.remove("QT_QPA_PLATFORM");  // the command must pick the offscreen platform itself
        const QStringList methods = {"-m", "lrp_epsilon", "-m", "gradient_x_input", "-m", "integrated_gradients"};
        const Run png = runCli(QStringList{"figure", bundledClip("yes.wav")} + methods +
                                   QStringList{"-o", dir.filePath("fig.png"), "--width", "600", "--height", "400", "--dpi", "144"},
                               300000, env);
        QVERIFY2(png.exitCode == 0, qPrintable(png.err));
        const QStringList expected = {"fig-explanation-lrp_epsilon.png", "fig-explanation-gradient_x_input.png",
                                      "fig-explanation-integrated_gradients.png", "fig-comparison.png", "fig-agreement.png"};
        for (const QString& name : expected) {
            QImage image;
            QVERIFY2(image.load(dir.filePath(name)), qPrintable(name));
            QCOMPARE(image.size(), QSize(900, 600));  // 600 x 400 logical pixels at 144 dpi
            QCOMPARE(qRound(image.dotsPerMeterX() * 0.0254), 144);
            QCOMPARE(qRound(image.dotsPerMeterY() * 0.0254), 144);
            // A figure, not a blank page: many colours (waveform, relevance, text).
            QSet<QRgb> colours;
            for (int y = 0; y < image.height(); y += 7)
                for (int x = 0; x < image.width(); x += 7) colours.insert(image.pixel(x, y));
            QVERIFY2(colours.size() > 20, qPrintable(name));
            QVERIFY2(png.out.contains(name), qPrintable(png.out));
        }

        const Run svg = runCli(QStringList{"figure", bundledClip("no.wav"), "--view", "comparison"} + methods +
                                   QStringList{"-o", dir.filePath("cmp.svg"), "--width", "800", "--height", "900"},
                               300000, env);
        QVERIFY2(svg.exitCode == 0, qPrintable(svg.err));
        QFile svgFile(dir.filePath("cmp.svg"));  // one view: the name as given
        QVERIFY(svgFile.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&svgFile);
        int elements = 0, texts = 0;
        bool sized = false;
        while (!xml.atEnd()) {
            if (xml.readNext() != QXmlStreamReader::StartElement) continue;
            if (elements++ == 0) {
                QCOMPARE(xml.name().toString(), QString("svg"));
                sized = xml.attributes().value("viewBox").toString().split(' ') == QStringList{"0", "0", "800", "900"};
            }
            texts += xml.name() == QLatin1String("text");
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QVERIFY(sized);
        QVERIFY2(elements > 50 && texts > 10, "vector drawing with text");

        const Run pdf = runCli({"figure", bundledClip("no.wav"), "--view", "agreement", "-m", "lrp_epsilon,gradient",
                                "-o", dir.filePath("agree.pdf"), "--width", "500", "--height", "500"},
                               300000, env);
        QVERIFY2(pdf.exitCode == 0, qPrintable(pdf.err));
        const QByteArray bytes = fileBytes(dir.filePath("agree.pdf"));
        QVERIFY(bytes.startsWith("%PDF-1."));
        QVERIFY(bytes.trimmed().endsWith("%%EOF"));
        const QRectF box = mediaBox(bytes);
        QVERIFY2(box.isValid(), "a page size");
        QVERIFY2(std::abs(box.width() / box.height() - 1.0) < 0.01, qPrintable(QString("%1 x %2").arg(box.width()).arg(box.height())));

        // Bad requests fail with a message.
        QVERIFY(runCli({"figure", bundledClip("no.wav"), "-m", "lrp_epsilon", "-o", dir.filePath("x.bmp")}, 60000, env).err.contains("x.bmp"));
        QVERIFY(runCli({"figure", bundledClip("no.wav"), "-m", "lrp_epsilon", "--view", "agreement", "-o", dir.filePath("x.png")}, 60000, env)
                    .err.contains("at least two"));
    }

    // --correlation topk --time-scale 50ms --top-k 20: the matrix the explorer's agreement computes
    // (signal::agreementOf over the engine's explanations) at that measure and scale, cell by cell.
    void agreementMeasureAndTimeScale() {
        QTemporaryDir dir;
        const std::vector<std::string> ids = {"lrp_epsilon", "gradient", "integrated_gradients"};
        const Run run = runCli({"figure", bundledClip("yes.wav"), "--view", "agreement", "-m", "lrp_epsilon,gradient,integrated_gradients",
                                "--correlation", "topk", "--time-scale", "50ms", "--top-k", "20", "-o", dir.filePath("a.svg"),
                                "--width", "600", "--height", "500"});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QStringList texts = svgTexts(dir.filePath("a.svg"));
        const QString all = texts.join(' ');
        QVERIFY2(all.contains("top-20 % overlap (Jaccard)") && all.contains("50 ms frames"), qPrintable(all));

        const auto model = s4scope::Model::load(s4scope::bundledModelPath());
        const auto audio = s4scope::loadAudio(bundledClip("yes.wav").toStdString());
        std::vector<std::vector<float>> maps;
        for (const auto& id : ids) {
            s4scope::ExplainRequest request;
            request.method = id;
            maps.push_back(s4scope::explain(model, audio.samples, request).relevance);
        }
        const auto agreement = s4scope::signal::agreementOf(maps, 16000, 0.2);
        const auto& values = agreement.of(s4scope::signal::Correlation::TopKOverlap, 3);
        QCOMPARE(values.size(), size_t(9));
        QStringList cells;  // as the plot writes them, row by row
        for (double v : values) cells << QString::number(std::abs(v) < 0.005 ? 0.0 : v, 'f', 2);
        QStringList drawn;
        for (const QString& t : texts)
            if (QRegularExpression("^-?\\d\\.\\d\\d$").match(t).hasMatch()) drawn << t;
        QCOMPARE(drawn, cells);
        // Not the default measure or scale: the figure would differ.
        const auto& pearson = agreement.of(s4scope::signal::Correlation::Pearson, 2);
        bool differs = false;
        for (size_t i = 0; i < 9; ++i) differs = differs || std::abs(pearson[i] - values[i]) > 0.01;
        QVERIFY(differs);
        QVERIFY(runCli({"figure", bundledClip("yes.wav"), "--view", "agreement", "-m", "lrp_epsilon,gradient", "--time-scale", "5ms",
                        "-o", dir.filePath("b.svg")}).exitCode != 0);
    }

#ifdef S4SCOPE_APP
    // The same figure as the explorer's File > Export figure (its --figure option) writes.
    void sameAsTheExplorersExport() {
        QTemporaryDir dir;
        QProcess app;
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert("QT_QPA_PLATFORM", "offscreen");
        app.setProcessEnvironment(env);
        app.start(S4SCOPE_APP, {bundledClip("yes.wav"), "--method", "lrp_epsilon", "--figure", dir.filePath("app.svg")});
        QVERIFY(app.waitForFinished(120000));
        QVERIFY2(app.exitCode() == 0, app.readAllStandardError().constData());
        const Run cli = runCli({"figure", bundledClip("yes.wav"), "-m", "lrp_epsilon", "--view", "explanation",
                                "-o", dir.filePath("cli.svg")}, 120000, env);
        QVERIFY2(cli.exitCode == 0, qPrintable(cli.err));
        // Every element the same, at the same place and size. The colour scales' gradients are
        // raster images inside the SVG whose pixel count QCustomPlot caches from the last on-screen
        // draw (the app's window was shown, the CLI's plot never is): same rectangle, other
        // resolution, so their data is left out of the comparison.
        auto vectorPart = [](QByteArray svg) {
            return QString::fromUtf8(svg).replace(QRegularExpression("xlink:href=\"data:image/png;base64,[^\"]*\""),
                                                  "xlink:href=\"(raster)\"");
        };
        const QString cliSvg = vectorPart(fileBytes(dir.filePath("cli.svg"))), appSvg = vectorPart(fileBytes(dir.filePath("app.svg")));
        QVERIFY(cliSvg.size() > 10000);
        QCOMPARE(cliSvg, appSvg);
    }
#endif
};

QTEST_GUILESS_MAIN(TestCliFigure)
#include "test_cli_figure.moc"
