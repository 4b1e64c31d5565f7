// The training pipeline end to end at CI size, and the dataset builder's guarantees: the split
// is by voice and deterministic, a subset holds exactly the full build's clips, bad input is
// reported by name.
#include "dataset_builder.h"
#include "dataset_options.h"
#include "trainer.h"
#include "s4scope/audio_io.h"
#include "s4scope/error.h"
#include "s4scope/model.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <map>
#include <set>

using namespace s4scope;
using namespace s4scope::train;

namespace {

// A few clips: two accents, three variants, one rendition, no flite.
DatasetOptions tinyDataset(const QString& dir) {
    DatasetOptions o;
    o.outDir = dir.toStdString();
    o.accents = {"en-US", "en-GB-x-rp"};
    o.variants = {"default", "f3", "m3"};
    o.fliteVoices = {"none"};
    o.espeakRenditions = 1;
    o.validationFraction = 0;
    o.testFraction = 0;
    return o;
}

// Mean cross-entropy of a model on clips.
double meanLoss(const Model& model, const std::vector<std::vector<float>>& clips, const std::vector<int>& labels) {
    double sum = 0;
    for (size_t i = 0; i < clips.size(); ++i) {
        const auto p = model.classify(clips[i]);
        sum -= std::log(std::max(1e-12f, p.probabilities[size_t(labels[i])]));
    }
    return sum / double(clips.size());
}

QByteArray fileBytes(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

}  // namespace

class TestTrainingSmoke : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        // One libtorch thread: with two, OpenMP threads spin against whatever else runs on a
        // shared 2-core machine and these suites take minutes instead of seconds.
        qputenv("S4SCOPE_THREADS", "1");
    }

    void splitIsByVoiceAndVariant() {
        QTemporaryDir dir;
        DatasetOptions o;  // the shipped data set's voices and split
        o.outDir = dir.path().toStdString();
        o.limit = 400;
        const auto data = buildDataset(o, nullptr);
        std::map<std::string, std::string> splitOfVoice, splitOfVariant;
        for (const auto& e : data.entries) {
            QVERIFY(e.split == "train" || e.split == "validation" || e.split == "test");
            auto [it, fresh] = splitOfVoice.emplace(e.voice, e.split);
            QVERIFY2(it->second == e.split, qPrintable(QString::fromStdString(e.voice + " is in two splits")));
            if (e.engine == "espeak") {
                auto [v, f] = splitOfVariant.emplace(e.variant, e.split);
                QVERIFY2(v->second == e.split, qPrintable(QString::fromStdString("variant " + e.variant + " is in two splits")));
            }
            QCOMPARE(QFileInfo(dir.filePath(QString::fromStdString(e.path))).size(), qint64(44 + 2 * 16000));
            QVERIFY(e.offset >= 0 && e.length > 1000 && e.offset + e.length <= 16000);
        }
        std::set<std::string> splits;
        for (const auto& [voice, split] : splitOfVoice) splits.insert(split);
        QCOMPARE(splits.size(), size_t(3));
        QVERIFY(QFile::exists(dir.filePath("manifest.csv")));
        QVERIFY(QFile::exists(dir.filePath("dataset.json")));
        QCOMPARE(readManifest(dir.filePath("manifest.csv").toStdString()).size(), data.entries.size());
    }

    void buildIsReproducibleAndSubsetsAgree() {
        // Two runs of the tool with the same options and seed write the same bytes.
        QTemporaryDir first, second, subset;
        const QStringList options = {"--accents", "en-US", "--variants", "default,f3", "--flite-voices", "slt",
                                     "--flite-renditions", "1", "--espeak-renditions", "1",
                                     "--validation-fraction", "0", "--test-fraction", "0"};
        for (const QTemporaryDir* dir : {&first, &second}) {
            QProcess tool;
            tool.start(QStringLiteral(S4SCOPE_DATASET_TOOL), QStringList{"--out", dir->path()} + options);
            QVERIFY(tool.waitForFinished(60000));
            QVERIFY2(tool.exitCode() == 0, tool.readAllStandardError().constData());
            QVERIFY(tool.readAllStandardOutput().contains("train: 30 clips"));
        }
        const auto a = readManifest(first.filePath("manifest.csv").toStdString());
        QCOMPARE(a.size(), size_t(30));
        QCOMPARE(fileBytes(second.filePath("manifest.csv")), fileBytes(first.filePath("manifest.csv")));
        for (const auto& e : a)
            QCOMPARE(fileBytes(second.filePath(QString::fromStdString(e.path))),
                     fileBytes(first.filePath(QString::fromStdString(e.path))));

        // A subset picks the same clips (voice, word, rate, pitch, file) as the full build. Their
        // samples may differ slightly: the synthesisers keep state from one word to the next
        // within a process (see espeak_synthesiser.cpp).
        DatasetOptions o = tinyDataset(subset.path());
        o.accents = {"en-US"};
        o.variants = {"default", "f3"};
        o.fliteVoices = {"slt"};
        o.fliteRenditions = 1;
        o.limit = 8;
        const auto some = buildDataset(o, nullptr);
        QCOMPARE(some.entries.size(), size_t(8));
        std::set<std::string> fullPaths;
        for (const auto& e : a) fullPaths.insert(e.path);
        for (const auto& e : some.entries) QVERIFY(fullPaths.count(e.path));
    }

    void badInputIsNamed() {
        QTemporaryDir dir;
        DatasetOptions o = tinyDataset(dir.path());
        o.accents = {"en-XX"};
        try {
            buildDataset(o, nullptr);
            QFAIL("an unknown accent was accepted");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("en-XX"), e.what());
        }
        o = tinyDataset(dir.path());
        o.variants = {"no-such-variant"};
        QVERIFY_THROWS_EXCEPTION(Error, buildDataset(o, nullptr));
        o = tinyDataset("/proc/s4scope-unwritable");
        try {
            buildDataset(o, nullptr);
            QFAIL("an unwritable folder was accepted");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("/proc/s4scope-unwritable"), e.what());
        }
    }

    void lossFallsAndTheCheckpointLoads() {
        QTemporaryDir dir;
        const auto data = buildDataset(tinyDataset(dir.filePath("data")), nullptr);
        QCOMPARE(data.entries.size(), size_t(60));

        TrainOptions t;
        t.dataDir = dir.filePath("data").toStdString();
        t.outDir = dir.filePath("run").toStdString();
        t.epochs = 8;
        t.batchSize = 12;
        t.learningRate = 3e-3;
        t.warmupEpochs = 0;
        t.seed = 3;
        t.augment = false;  // the loss must fall within a few steps; augmentation runs on resume below
        t.evaluateTest = false;
        t.logEverySteps = 0;
        const TrainResult result = trainModel(t, nullptr);
        QCOMPARE(result.history.size(), size_t(8));

        std::vector<std::vector<float>> clips;
        std::vector<int> labels;
        for (const auto& e : data.entries) {
            clips.push_back(loadAudio(dir.filePath("data/" + QString::fromStdString(e.path)).toStdString()).samples);
            labels.push_back(e.label);
        }
        const Model before = Model::initialised(t.model, t.seed);  // the trainer's starting point
        const Model after = Model::load(result.weightsPath);
        const double lossBefore = meanLoss(before, clips, labels), lossAfter = meanLoss(after, clips, labels);
        qInfo("loss on the training clips: %.3f before, %.3f after %d steps", lossBefore, lossAfter,
              int(t.epochs * data.entries.size() / t.batchSize));
        QVERIFY2(lossAfter < lossBefore - 0.15, "the loss did not fall");
        QCOMPARE(after.config().d_model, t.model.d_model);

        // Resuming continues after the last finished epoch, here with augmented batches.
        t.epochs = 9;
        t.resume = true;
        t.augment = true;
        t.maxStepsPerEpoch = 2;
        const TrainResult resumed = trainModel(t, nullptr);
        QCOMPARE(resumed.history.size(), size_t(9));
        QCOMPARE(resumed.history[7].trainLoss, result.history[7].trainLoss);
        QVERIFY(std::isfinite(resumed.history[8].trainLoss));
        QVERIFY(Model::load(resumed.weightsPath).config().n_classes == 10);
    }
};

QTEST_GUILESS_MAIN(TestTrainingSmoke)
#include "test_training_smoke.moc"
