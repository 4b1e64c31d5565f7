// The shipped model (resources/models) on speakers it never heard: clips of the test split's
// speakers (whole held-out speakers of every engine: espeak-ng and classic espeak variants, a
// flite voice, Festival voices) are synthesised afresh here with the dataset builder, using the
// data set options recorded in the model's config, and the model must classify at least 85% of
// them correctly, with at least two engines besides espeak-ng among them.
#include "dataset_builder.h"
#include "dataset_options.h"
#include "s4scope/audio_io.h"
#include "s4scope/model.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <map>
#include <set>

using namespace s4scope;
using namespace s4scope::train;

class TestBundledModel : public QObject {
    Q_OBJECT

private:
    const QString modelDir = QStringLiteral(S4SCOPE_SOURCE_DIR "/resources/models");
    const QString configPath = modelDir + "/s4_kws_config.json";

    // The data set options the shipped model was trained with (its config's training.dataset).
    DatasetOptions trainingDataset() {
        QFile f(configPath);
        if (!f.open(QIODevice::ReadOnly)) return {};
        const QJsonObject dataset = QJsonDocument::fromJson(f.readAll()).object()["training"].toObject()["dataset"].toObject();
        return DatasetOptions::fromJson(QJsonDocument(dataset).toJson().toStdString(), configPath.toStdString());
    }

private slots:
    void initTestCase() {
        // One libtorch thread: with two, OpenMP threads spin against whatever else runs on a
        // shared 2-core machine and these suites take minutes instead of seconds.
        qputenv("S4SCOPE_THREADS", "1");
    }

    void folderHoldsExactlyOnePair() {
        const ModelFiles files = resolveModelFiles(modelDir.toStdString());
        QCOMPARE(QString::fromStdString(std::filesystem::path(files.config).filename().string()),
                 QStringLiteral("s4_kws_config.json"));
        QCOMPARE(QString::fromStdString(std::filesystem::path(files.weights).filename().string()),
                 QStringLiteral("s4_kws.pt"));
        const Model model = Model::load(modelDir.toStdString());
        QCOMPARE(model.config().d_model, int64_t(128));
        QCOMPARE(model.config().d_state, int64_t(64));
        QCOMPARE(model.config().n_layers, int64_t(3));
        QCOMPARE(model.config().downsample, int64_t(160));
        QCOMPARE(model.config().seq_len, int64_t(16000));
        QCOMPARE(model.config().n_classes, int64_t(10));
        QVERIFY(!model.config().prenorm);
    }

    void scoresAtLeast85PercentOnHeldOutSpeakersOfSeveralEngines() {
        QVERIFY2(QFile::exists(configPath), "resources/models/s4_kws_config.json is missing");
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        DatasetOptions options = trainingDataset();
        options.outDir = dir.path().toStdString();
        options.splits = {"test"};
        options.limit = 300;
        const DatasetSummary data = buildDataset(options, nullptr);
        QCOMPARE(int64_t(data.entries.size()), int64_t(300));

        const Model model = Model::load(modelDir.toStdString());
        int correct = 0;
        std::set<std::string> voices;
        std::map<std::string, std::pair<int, int>> perEngine;
        for (const auto& e : data.entries) {
            QCOMPARE(QString::fromStdString(e.split), QStringLiteral("test"));
            voices.insert(e.voice);
            const Audio clip = loadAudio(dir.filePath(QString::fromStdString(e.path)).toStdString());
            const bool right = model.classify(clip.samples).classIndex == e.label;
            correct += right;
            perEngine[e.engine].first += right;
            perEngine[e.engine].second++;
        }
        const double accuracy = double(correct) / double(data.entries.size());
        qInfo("shipped model: %d/%zu correct (%.1f%%) on %zu held-out voices", correct, data.entries.size(),
              100 * accuracy, voices.size());
        int otherEngines = 0;
        for (const auto& [engine, counts] : perEngine) {
            qInfo("  %s: %d/%d (%.1f%%)", engine.c_str(), counts.first, counts.second, 100.0 * counts.first / counts.second);
            if (engine != "espeak-ng" && counts.second >= 10) ++otherEngines;
        }
        QVERIFY2(otherEngines >= 2, "fewer than two engines besides espeak-ng among the held-out clips");
        QVERIFY(voices.size() >= 20);
        QVERIFY2(accuracy >= 0.85, qPrintable(QStringLiteral("accuracy %1% < 85%").arg(100 * accuracy, 0, 'f', 1)));
    }

    void bundledSampleClipsAreRecognised() {
        // resources/clips: espeak-ng's default en-us voice, one per keyword.
        const Model model = Model::load(modelDir.toStdString());
        int correct = 0;
        for (const auto& word : keywordList()) {
            const Audio clip = loadAudio(QStringLiteral(S4SCOPE_SOURCE_DIR "/resources/clips/%1.wav")
                                             .arg(QString::fromStdString(word))
                                             .toStdString());
            if (model.classify(clip.samples).label == word) ++correct;
        }
        QVERIFY2(correct >= 9, qPrintable(QStringLiteral("%1/10 sample clips recognised").arg(correct)));
    }
};

QTEST_GUILESS_MAIN(TestBundledModel)
#include "test_bundled_model.moc"
