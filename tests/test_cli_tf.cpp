// s4scope-cli explain --time-frequency and --listen (issue 17): the JSON fields and NPY files hold
// the signal library's R[f,t] of the written relevance, the masked clips add up to the clip, and
// bad combinations are refused with a reason.
#include <QtTest>

#include <QFileInfo>
#include <QJsonArray>
#include <QTemporaryDir>

#include <cmath>
#include <cstring>

#include "cli_test_support.h"
#include "s4scope/audio_io.h"
#include "signal/tf_relevance.h"

using namespace clitest;

namespace {

// A float32 .npy: its header's shape text and its values.
struct Npy {
    QString shape;
    std::vector<float> values;
};

Npy readNpy(const QString& path) {
    const QByteArray bytes = fileBytes(path);
    Npy npy;
    if (bytes.size() < 10 || !bytes.startsWith("\x93NUMPY")) return npy;
    const int headerLength = uchar(bytes[8]) | (uchar(bytes[9]) << 8);
    const QByteArray header = bytes.mid(10, headerLength);
    const int open = header.indexOf("'shape': ("), close = header.indexOf(')', open);
    npy.shape = QString::fromLatin1(header.mid(open + 10, close - open - 10));
    npy.values.resize(size_t(bytes.size() - 10 - headerLength) / 4);
    std::memcpy(npy.values.data(), bytes.constData() + 10 + headerLength, npy.values.size() * 4);
    return npy;
}

QJsonObject readJson(const QString& path) { return QJsonDocument::fromJson(fileBytes(path)).object(); }

}  // namespace

class TestCliTf : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    // JSON: tf_relevance (frames × bins) equals the signal library's R[f,t] of the written relevance
    // on the clip the CLI loaded; axes and conservation share are there.
    void jsonCarriesTheTimeFrequencyRelevance() {
        const QString out = dir_.filePath("yes_tf.json");
        const Run r = runCli({"explain", "-m", "lrp_epsilon", "--time-frequency", bundledClip("yes.wav"), "-o", out});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        QVERIFY2(r.out.contains("sum R[f,t] / sum R[n]"), qPrintable(r.out));
        const QJsonObject j = readJson(out);
        const QJsonArray rows = j["tf_relevance"].toArray(), times = j["tf_times_s"].toArray(), hz = j["tf_frequencies_hz"].toArray();
        QCOMPARE(rows.size(), 163);  // 16000 samples, 400-sample window, hop 100
        QCOMPARE(rows[0].toArray().size(), 201);
        QCOMPARE(times.size(), 163);
        QCOMPARE(hz.size(), 201);
        QCOMPARE(hz[10].toDouble(), 400.0);
        QCOMPARE(times[1].toDouble(), 0.0);  // frame 1 is centred on the first sample

        std::vector<float> relevance;
        for (const auto v : j["relevance"].toArray()) relevance.push_back(float(v.toDouble()));
        const auto clip = s4scope::loadAudio(bundledClip("yes.wav").toStdString()).samples;
        const auto expected = s4scope::signal::timeFrequencyRelevance(clip, relevance, 16000);
        double error = 0, scale = 0;
        for (int t = 0; t < expected.frames; ++t)
            for (int f = 0; f < expected.bins; ++f) {
                error = std::max(error, std::abs(rows[t].toArray()[f].toDouble() - expected.at(t, f)));
                scale = std::max(scale, std::abs(expected.at(t, f)));
            }
        QVERIFY2(error <= 1e-12 * scale, qPrintable(QString::number(error / scale)));
        const QJsonObject c = j["tf_conservation"].toObject();
        QCOMPARE(c["share"].toDouble(), expected.conservationShare());
        QCOMPARE(c["lost_share_at_zero"].toDouble(), expected.lostShareAtZero());
        QVERIFY(std::abs(c["share"].toDouble() - 1) < 0.05);  // the bundled clips have few exact zeros
        QCOMPARE(j["tf_frequency_profile"].toArray().size(), 201);
    }

    // NPY: the relevance file plus STEM.tf_relevance.npy (frames, bins) and its two axes.
    void npyWritesTheTimeFrequencyFiles() {
        const QString out = dir_.filePath("no.npy");
        const Run r = runCli({"explain", "-m", "gradient_x_input", "--time-frequency", bundledClip("no.wav"), "-o", out});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        const Npy tf = readNpy(dir_.filePath("no.tf_relevance.npy"));
        QCOMPARE(tf.shape, QString("163, 201"));
        QCOMPARE(tf.values.size(), size_t(163 * 201));
        QCOMPARE(readNpy(dir_.filePath("no.tf_times_s.npy")).shape, QString("163,"));
        QCOMPARE(readNpy(dir_.filePath("no.tf_frequencies_hz.npy")).values.back(), 8000.f);
        const Npy relevance = readNpy(out);
        const auto clip = s4scope::loadAudio(bundledClip("no.wav").toStdString()).samples;
        const auto expected = s4scope::signal::timeFrequencyRelevance(clip, relevance.values, 16000);
        for (size_t i = 0; i < expected.values.size(); i += 97) QCOMPARE(tf.values[i], float(expected.values[i]));
    }

    // --listen for / rest at the same k add up to the clip; the target's probability is printed.
    void listeningSignalsAddUpToTheClip() {
        const QString forWav = dir_.filePath("for.wav"), restWav = dir_.filePath("rest.wav");
        for (const auto& [kind, path] : {std::pair{QString("for"), forWav}, std::pair{QString("rest"), restWav}}) {
            const Run r = runCli({"explain", "-m", "lrp_epsilon", "--listen", kind, "--top", "15", bundledClip("yes.wav"), "-o", path});
            QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
            QVERIFY2(r.out.contains("probability") && r.out.contains("on the masked clip"), qPrintable(r.out));
        }
        const auto clip = s4scope::loadAudio(bundledClip("yes.wav").toStdString()).samples;
        const auto a = s4scope::loadAudio(forWav.toStdString()).samples, b = s4scope::loadAudio(restWav.toStdString()).samples;
        QCOMPARE(a.size(), clip.size());
        double error = 0, energy = 0;
        for (size_t i = 0; i < clip.size(); ++i) {
            error = std::max(error, std::abs(double(a[i]) + b[i] - clip[i]));
            energy += double(a[i]) * a[i];
        }
        QVERIFY2(error <= 1e-5, qPrintable(QString::number(error)));
        QVERIFY(energy > 0);
    }

    void badCombinationsAreRefused() {
        Run r = runCli({"explain", "-m", "lrp_epsilon", "--listen", "for", bundledClip("yes.wav"), "-o", dir_.filePath("x.json")});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains("FILE.wav"), qPrintable(r.err));
        r = runCli({"explain", "-m", "lrp_epsilon", "--top", "10", bundledClip("yes.wav"), "-o", dir_.filePath("y.json")});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains("--listen"), qPrintable(r.err));
        r = runCli({"explain", "-m", "lrp_epsilon", "--listen", "louder", bundledClip("yes.wav"), "-o", dir_.filePath("z.wav")});
        QVERIFY(r.exitCode != 0);
        r = runCli({"explain", "-m", "lrp_epsilon", "--listen", "for", "--top", "101", bundledClip("yes.wav"), "-o", dir_.filePath("z.wav")});
        QVERIFY(r.exitCode != 0);
        r = runCli({"explain", "-m", "lrp_epsilon", "--listen", "for", bundledClip("yes.wav"), "-O", dir_.filePath("batch")});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains("one clip and one method"), qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(dir_.filePath("z.wav")));
    }

    // A batch: every output gets its TF files and the index its shares.
    void batchWritesTimeFrequencyPerOutput() {
        const QString out = dir_.filePath("batch_tf");
        const Run r = runCli({"explain", "-m", "lrp_epsilon,gradient_x_input", "--time-frequency", "--quiet",
                              bundledClip("yes.wav"), bundledClip("go.wav"), "-O", out});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        const auto lines = readIndex(out + "/index.jsonl");
        QCOMPARE(int(lines.size()), 4);
        for (const auto& line : lines) {
            QCOMPARE(line["status"].toString(), QString("ok"));
            QVERIFY(std::abs(line["tf_conservation_share"].toDouble() - 1) < 0.05);
            QVERIFY(line.contains("tf_lost_share_at_zero"));
            const QString stem = line["output"].toString().chopped(4);
            QCOMPARE(readNpy(out + "/" + stem + ".tf_relevance.npy").shape, QString("163, 201"));
        }
    }

private:
    QTemporaryDir dir_;
};

QTEST_GUILESS_MAIN(TestCliTf)
#include "test_cli_tf.moc"
