// s4scope-cli evaluate (issue 18): per-clip rows equal the engine's evaluateClip on the same clip;
// the summary is the mean and standard error of the rows; word intervals come from the sidecar
// beside a clip or from a data set's manifest; a broken clip is reported and the rest complete.
#include <QtTest>

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
};

QTEST_GUILESS_MAIN(TestCliEvaluate)
#include "test_cli_evaluate.moc"
