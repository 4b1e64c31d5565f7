// s4scope-cli evaluate (issue 18): per-clip rows equal the engine's evaluateClip on the same clip;
// the summary is the mean and standard error of the rows; word intervals come from the sidecar
// beside a clip or from a data set's manifest; a broken clip is reported and the rest complete.
#include <QtTest>
#ifdef S4SCOPE_CLI_HAS_FIGURES
#include <QImage>
#endif

#include <cmath>
#include <map>

#include "cli_test_support.h"
#include "s4scope/evaluation.h"

using namespace clitest;
using namespace s4scope;

class TestCliEvaluate : public QObject {
    Q_OBJECT

private slots:
    void rowsAndSummary() {
        QTemporaryDir dir;
        const QString data = dir.filePath("data");
        QDir().mkpath(data + "/test/yes");
        // A bundled clip with its sidecar, a data-set clip whose interval is in the manifest, a broken file.
        QVERIFY(QFile::copy(bundledClip("yes.wav"), data + "/yes.wav"));
        QVERIFY(QFile::copy(bundledClip("yes.word.json"), data + "/yes.word.json"));
        QVERIFY(QFile::copy(bundledClip("no.wav"), data + "/test/yes/spoken.wav"));
        {
            QFile m(data + "/manifest.csv");
            QVERIFY(m.open(QIODevice::WriteOnly));
            m.write("path,word,offset,length\ntest/yes/spoken.wav,no,4283,7433\n");
        }
        {
            QFile bad(data + "/broken.wav");
            QVERIFY(bad.open(QIODevice::WriteOnly));
            bad.write("RIFF not really");
        }
        const QString out = dir.filePath("out");
        const Run r = runCli({"evaluate", data, "-m", "gradient,lrp_epsilon", "--manifest", data + "/manifest.csv",
                              "--random-orders", "3", "-q", "-O", out});
        QCOMPARE(r.exitCode, 3);  // the broken clip failed, the others completed
        QVERIFY2(r.err.contains("broken.wav"), qPrintable(r.err));

        std::map<QString, QJsonObject> rows;  // "key method" -> row
        for (const auto& j : readIndex(out + "/rows.jsonl")) rows[QFileInfo(j["input"].toString()).fileName() + " " + j["method"].toString()] = j;
        QCOMPARE(int(rows.size()), 6);
        QCOMPARE(rows["broken.wav gradient"]["status"].toString(), QString("error"));

        // The engine on the same clip with the same settings gives the same numbers.
        const Model model = Model::load(S4SCOPE_SOURCE_DIR "/resources/models");
        for (const QString key : {"yes.wav", "spoken.wav"}) {
            const auto clip = loadAudio((data + (key == "yes.wav" ? "/" : "/test/yes/") + key).toStdString()).samples;
            evaluation::EvaluationOptions o;
            o.curves.randomOrders = 3;
            o.word = key == "yes.wav" ? evaluation::Interval{4227, 11773} : evaluation::Interval{4283, 4283 + 7433};
            ExplainRequest g, lrp;
            g.method = "gradient";
            lrp.method = "lrp_epsilon";
            const auto ce = evaluation::evaluateClip(model, clip, {g, lrp}, o);
            for (const auto& m : ce.methods) {
                const QJsonObject row = rows[key + " " + QString::fromStdString(m.method)];
                QCOMPARE(row["status"].toString(), QString("ok"));
                QCOMPARE(row["target"].toInt(), int(ce.target));
                auto close = [&](const char* name, double v) {
                    QVERIFY2(std::abs(row[name].toDouble() - v) < 1e-4,
                             qPrintable(QString("%1 %2 %3: %4 vs %5").arg(key, m.method.c_str(), name).arg(row[name].toDouble()).arg(v)));
                };
                close("auc_morf", m.curves.aucDeletion);
                close("auc_lerf", m.curves.aucInsertion);
                close("delta_af", m.curves.deltaAF());
                close("random_delta_af", ce.random.deltaAF());
                close("randomisation_similarity", m.randomisation->finalSimilarity());
                close("mass_accuracy", m.localisation->massAccuracy);
                QCOMPARE(row["pointing_hit"].toDouble(), m.localisation->pointingHit ? 1.0 : 0.0);
            }
        }
        QVERIFY(rows["yes.wav lrp_epsilon"]["max_layer_conservation_error"].isDouble());
        QVERIFY(rows["yes.wav gradient"]["conservation_error"].isNull());

        // Summary: mean and standard error of the two ok rows per method.
        QFile s(out + "/summary.json");
        QVERIFY(s.open(QIODevice::ReadOnly));
        const auto methods = QJsonDocument::fromJson(s.readAll()).object()["methods"].toArray();
        QCOMPARE(methods.size(), 2);
        for (const auto& mv : methods) {
            const auto m = mv.toObject();
            const QString id = m["method"].toString();
            const double a = rows["yes.wav " + id]["delta_af"].toDouble(), b = rows["spoken.wav " + id]["delta_af"].toDouble();
            const auto d = m["delta_af"].toObject();
            QCOMPARE(d["n"].toInt(), 2);
            QVERIFY(std::abs(d["mean"].toDouble() - (a + b) / 2) < 1e-9);
            QVERIFY(std::abs(d["stderr"].toDouble() - std::abs(a - b) / 2) < 1e-9);
        }
        QVERIFY(fileBytes(out + "/summary.csv").startsWith("method,metric,n,mean,stderr\n"));
        QVERIFY(fileBytes(out + "/rows.csv").split('\n').size() >= 7);

        // Bad options are clear errors.
        QVERIFY(runCli({"evaluate", data, "-m", "gradient", "--baseline", "pink", "-O", out}).exitCode != 0);
        const Run noManifest = runCli({"evaluate", data, "-m", "gradient", "--manifest", dir.filePath("none.csv"), "-O", out});
        QVERIFY(noManifest.exitCode != 0 && noManifest.err.contains("none.csv"));
    }

    // Agreement between methods: per clip and pair at the curves' frames, equal to the engine's
    // agreementAt on the same maps; the figure of the mean curves, as PNG and SVG.
    void agreementAndFigure() {
        QTemporaryDir dir;
        const QString data = dir.filePath("data");
        QDir().mkpath(data);
        for (const char* word : {"yes", "no"}) QVERIFY(QFile::copy(bundledClip(QString(word) + ".wav"), data + "/" + word + ".wav"));
        const QString out = dir.filePath("out");
#ifdef S4SCOPE_CLI_HAS_FIGURES
        const QString figure = dir.filePath("curves.png");
        const Run r = runCli({"evaluate", data, "-m", "gradient,gradient_x_input,lrp_epsilon", "--no-randomisation", "--random-orders", "2",
                              "-q", "-O", out, "--figure", figure});
#else
        const Run r = runCli({"evaluate", data, "-m", "gradient,gradient_x_input,lrp_epsilon", "--no-randomisation", "--random-orders", "2", "-q", "-O", out});
#endif
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));

        // agreement.csv: three pairs per clip, the engine's numbers.
        QFile a(out + "/agreement.csv");
        QVERIFY(a.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(a.readAll()).trimmed().split('\n');
        QCOMPARE(lines[0], QString("key,input,method_a,method_b,pearson,spearman,top_jaccard"));
        QCOMPARE(lines.size(), 1 + 2 * 3);
        const Model model = Model::load(S4SCOPE_SOURCE_DIR "/resources/models");
        const auto clip = loadAudio((data + "/yes.wav").toStdString()).samples;
        std::map<std::string, std::vector<float>> maps;
        for (const char* id : {"gradient", "lrp_epsilon"}) {
            ExplainRequest request;
            request.method = id;
            maps[id] = explain(model, clip, request).relevance;
        }
        const auto expected = evaluation::agreementAt(maps["gradient"], maps["lrp_epsilon"], evaluation::frameSamples(16000, 10));
        bool found = false;
        for (const QString& line : lines) {
            const QStringList c = line.split(',');
            if (!c[1].endsWith("yes.wav") || c[2] != "gradient" || c[3] != "lrp_epsilon") continue;
            found = true;
            QVERIFY(std::abs(c[4].toDouble() - expected.pearson) < 1e-5);
            QVERIFY(std::abs(c[5].toDouble() - expected.spearman) < 1e-5);
            QVERIFY(std::abs(c[6].toDouble() - expected.topJaccard) < 1e-5);
        }
        QVERIFY(found);
        QFile s(out + "/summary.json");
        QVERIFY(s.open(QIODevice::ReadOnly));
        const auto pairs = QJsonDocument::fromJson(s.readAll()).object()["agreement"].toArray();
        QCOMPARE(pairs.size(), 3);
        QCOMPARE(pairs[0].toObject()["pearson"].toObject()["n"].toInt(), 2);

#ifdef S4SCOPE_CLI_HAS_FIGURES
        // A real image of the size the command draws (1500 x 650 logical pixels at 144 dpi).
        QImage image(figure);
        QVERIFY2(!image.isNull(), qPrintable(figure));
        QCOMPARE(image.size(), QSize(1500 * 144 / 96, 650 * 144 / 96));
        int coloured = 0;  // the curves are drawn: many saturated pixels, not a blank page
        for (int y = 0; y < image.height(); y += 3)
            for (int x = 0; x < image.width(); x += 3)
                if (QColor(image.pixel(x, y)).saturation() > 120) ++coloured;
        QVERIFY2(coloured > 500, qPrintable(QString::number(coloured)));
        const QString svg = dir.filePath("curves.svg");
        QCOMPARE(runCli({"evaluate", data + "/yes.wav", "-m", "gradient", "--no-randomisation", "--random-orders", "1", "-q", "-O", out,
                         "--figure", svg}).exitCode, 0);
        QVERIFY(fileBytes(svg).contains("<svg"));
        // An unknown format is refused before any work, naming the file.
        const Run bad = runCli({"evaluate", data, "-m", "gradient", "-q", "-O", out, "--figure", dir.filePath("curves.bmp")});
        QVERIFY(bad.exitCode != 0 && bad.err.contains("curves.bmp"));
#endif
    }
};

QTEST_GUILESS_MAIN(TestCliEvaluate)
#include "test_cli_evaluate.moc"
