// The classifier: config parsing and refusals, parity with PyTorch itself on state dicts that
// Python wrote (OrderedDict .pt/.pth, plain-dict .pt, .safetensors), engine -> Python -> engine
// round trips, strict loading, and model-pair resolution.
#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>

#include "s4scope/checkpoint.h"
#include "s4scope/error.h"
#include "s4scope/model.h"
#include "test_support.h"

using namespace s4scope;
using namespace s4test;

namespace {

const char* kSmall = R"({"d_model": 24, "d_state": 8, "n_layers": 2, "downsample": 40, "seq_len": 4000, "n_classes": 10})";
const char* kSmallPrenorm =
    R"({"d_model": 16, "d_state": 6, "n_layers": 3, "downsample": 50, "seq_len": 2000, "n_classes": 4, "prenorm": true})";
const char* kCard = R"({"d_input": 1, "d_state": 64, "d_model": 128, "n_layers": 3, "downsample": 160, "seq_len": 16000, "n_classes": 10})";

QString expectError(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

}  // namespace

class TestModel : public QObject {
    Q_OBJECT
private slots:
    void configAliasesAndDefaults() {
        const auto c = ModelConfig::fromJson(
            R"({"input_dim": 1, "state_dim": 32, "hidden_dim": 64, "num_layers": 2, "stride": 100,
                "input_length": 8000, "num_classes": 10, "dropout": 0.1})");
        QCOMPARE(c.d_state, 32);
        QCOMPARE(c.d_model, 64);
        QCOMPARE(c.n_layers, 2);
        QCOMPARE(c.downsample, 100);
        QCOMPARE(c.seq_len, 8000);
        QCOMPARE(c.steps(), 80);
        QCOMPARE(c.prenorm, false);
        QCOMPARE(c.sample_rate, 16000);
        QCOMPARE(c.labels.front(), std::string("yes"));
        QCOMPARE(ModelConfig::fromJson(R"({"layers": 5})").n_layers, 5);
        QCOMPARE(ModelConfig::fromJson(R"({"downsample_stride": 80})").downsample, 80);
        QCOMPARE(ModelConfig::fromJson(R"({"output_dim": 3})").labels.size(), size_t(3));
        QCOMPARE(ModelConfig::fromJson(R"({"prenorm": true})").prenorm, true);
        QCOMPARE(ModelConfig::fromJson("{}").parameterCount(), ModelConfig{}.parameterCount());
        // The card's model has about 172k parameters.
        QVERIFY(std::abs(ModelConfig{}.parameterCount() - 172000) < 1000);
        const auto round = ModelConfig::fromJson(ModelConfig::fromJson(kSmallPrenorm).toJson());
        QCOMPARE(round.d_model, 16);
        QCOMPARE(round.prenorm, true);
    }

    void configRefusals_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("zero layers") << R"({"n_layers": 0})" << "n_layers";
        QTest::newRow("negative model") << R"({"d_model": -4})" << "d_model";
        QTest::newRow("indivisible") << R"({"seq_len": 16000, "downsample": 150})" << "divisible";
        QTest::newRow("absurd model") << R"({"d_model": 100000000})" << "absurdly large";
        QTest::newRow("absurd length") << R"({"seq_len": 1000000000000})" << "absurdly large";
        QTest::newRow("too many parameters") << R"({"d_model": 4096, "n_layers": 64, "d_state": 4096})" << "parameters";
        QTest::newRow("odd state") << R"({"d_state": 63})" << "even";
        QTest::newRow("not an integer") << R"({"d_model": "big"})" << "integer";
        QTest::newRow("fraction") << R"({"d_model": 12.5})" << "integer";
        QTest::newRow("aliases disagree") << R"({"d_model": 128, "hidden_dim": 64})" << "disagree";
        QTest::newRow("labels count") << R"({"n_classes": 3, "labels": ["a", "b"]})" << "labels";
        QTest::newRow("stereo input") << R"({"d_input": 2})" << "d_input";
        QTest::newRow("not json") << "{d_model: 3" << "not valid JSON";
        QTest::newRow("not an object") << "[1, 2]" << "object";
    }
    void configRefusals() {
        QFETCH(QString, json);
        QFETCH(QString, mentions);
        const QString err = expectError([&] { ModelConfig::fromJson(json.toStdString(), "cfg.json"); });
        QVERIFY2(err.contains(mentions) && err.contains("cfg.json"), qPrintable(err));
    }

    void logitsMatchPyTorch_data() {
        QTest::addColumn<QString>("config");
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("weights");
        QTest::newRow("postnorm OrderedDict .pt") << kSmall << "pt" << "ref.pt";
        QTest::newRow("prenorm OrderedDict .pth") << kSmallPrenorm << "pth" << "ref.pth";
        QTest::newRow("plain dict .pt") << kSmall << "plain" << "ref.pt";
        QTest::newRow("safetensors") << kSmallPrenorm << "safetensors" << "ref.safetensors";
        QTest::newRow("card architecture") << kCard << "pt" << "ref.pt";
    }
    void logitsMatchPyTorch() {
        QFETCH(QString, config);
        QFETCH(QString, format);
        QFETCH(QString, weights);
        QTemporaryDir dir;
        QVERIFY(runPython({sourcePath("tests/python/model_parity.py"), "make", dir.path(), "--config", config,
                           "--seed", "7", "--format", format, "--batch", "5"}));
        // Either file of the pair opens the model.
        const Model model = Model::load(dir.filePath(weights).toStdString());
        const Model same = Model::load(dir.filePath("ref_config.json").toStdString());
        const auto inputs = readFloats(dir.filePath("inputs.f32"));
        const auto expected = readFloats(dir.filePath("logits.f32"));
        QCOMPARE(int64_t(inputs.size()), 5 * model.config().seq_len);
        const auto batch = model.logits(inputs.data(), 5);
        QVERIFY2(maxAbsDiff(batch, expected) <= 1e-4, qPrintable(QString("max |diff| %1").arg(maxAbsDiff(batch, expected))));
        QCOMPARE(same.logits(inputs.data(), 5), batch);
        // Batched inference equals one clip at a time.
        const int64_t T = model.config().seq_len, C = model.config().n_classes;
        for (int64_t b = 0; b < 5; ++b) {
            const auto one = model.logits(std::vector<float>(inputs.begin() + b * T, inputs.begin() + (b + 1) * T));
            QVERIFY(maxAbsDiff(one, std::vector<float>(batch.begin() + b * C, batch.begin() + (b + 1) * C)) <= 1e-5);
        }
    }

    void roundTripEnginePythonEngine_data() {
        QTest::addColumn<QString>("extension");
        QTest::newRow("pt") << "pt";
        QTest::newRow("safetensors") << "safetensors";
    }
    void roundTripEnginePythonEngine() {
        QFETCH(QString, extension);
        QTemporaryDir dir;
        const ModelConfig cfg = ModelConfig::fromJson(kSmallPrenorm);
        const Model engine = Model::initialised(cfg, 11);
        const std::string weights = dir.filePath("mine." + extension).toStdString();
        engine.save(weights);
        QVERIFY(QFile::exists(dir.filePath("mine_config.json")));

        std::vector<float> inputs(3 * cfg.seq_len);
        for (size_t i = 0; i < inputs.size(); ++i) inputs[i] = 0.5f * std::sin(0.01f * i * (1 + i % 3));
        QVERIFY(writeFloats(dir.filePath("inputs.f32"), inputs));
        QVERIFY(runPython({sourcePath("tests/python/model_parity.py"), "check", QString::fromStdString(weights),
                           dir.filePath("mine_config.json"), dir.filePath("inputs.f32"), dir.filePath("py.f32")}));
        const auto mine = engine.logits(inputs.data(), 3);
        const auto python = readFloats(dir.filePath("py.f32"));
        QVERIFY2(maxAbsDiff(mine, python) <= 1e-4, qPrintable(QString("max |diff| %1").arg(maxAbsDiff(mine, python))));

        // Python re-saved the weights it loaded: the engine reads them back unchanged.
        QVERIFY(QFile::copy(dir.filePath("py.f32.pt"), dir.filePath("back.pt")));
        QVERIFY(QFile::copy(dir.filePath("mine_config.json"), dir.filePath("back_config.json")));
        const Model back = Model::load(dir.filePath("back.pt").toStdString());
        QCOMPARE(back.logits(inputs.data(), 3), mine);
        const auto a = engine.stateDict(), b = back.stateDict();
        QCOMPARE(a.size(), b.size());
        for (size_t i = 0; i < a.size(); ++i) {
            QCOMPARE(a[i].first, b[i].first);
            QCOMPARE(a[i].second.values, b[i].second.values);
        }
    }

    void strictLoadingNamesEveryProblem() {
        QTemporaryDir dir;
        // Weights of a 24-channel model under a config that says 32 channels and one more layer.
        QVERIFY(runPython({sourcePath("tests/python/model_parity.py"), "make", dir.path(), "--config", kSmall,
                           "--format", "pt", "--batch", "1"}));
        auto cfg = ModelConfig::fromJson(kSmall);
        cfg.d_model = 32;
        cfg.n_layers = 3;
        cfg.writeFile(dir.filePath("ref_config.json").toStdString());
        const QString err = expectError([&] { Model::load(dir.filePath("ref.pt").toStdString()); });
        QVERIFY2(err.contains("ref.pt"), qPrintable(err));
        QVERIFY2(err.contains("s4_layers.2.D"), qPrintable(err));                 // missing
        QVERIFY2(err.contains("encoder.weight"), qPrintable(err));                // size mismatch
        QVERIFY2(err.contains("(24, 1, 40)") && err.contains("(32, 1, 40)"), qPrintable(err));

        cfg.d_model = 24;
        cfg.n_layers = 1;
        cfg.writeFile(dir.filePath("ref_config.json").toStdString());
        const QString extra = expectError([&] { Model::load(dir.filePath("ref.pt").toStdString()); });
        QVERIFY2(extra.contains("s4_layers.1.kernel.C") && extra.contains("norms.1.weight"), qPrintable(extra));
    }

    void modelPairResolution() {
        QTemporaryDir dir;
        const Model m = Model::initialised(ModelConfig::fromJson(kSmall), 1);
        m.save(dir.filePath("kws.safetensors").toStdString());
        auto files = resolveModelFiles(dir.filePath("kws_config.json").toStdString());
        QCOMPARE(QString::fromStdString(files.weights), dir.filePath("kws.safetensors"));
        files = resolveModelFiles(dir.filePath("kws.safetensors").toStdString());
        QCOMPARE(QString::fromStdString(files.config), dir.filePath("kws_config.json"));
        files = resolveModelFiles(dir.path().toStdString());
        QCOMPARE(QString::fromStdString(files.weights), dir.filePath("kws.safetensors"));

        QFile::remove(dir.filePath("kws.safetensors"));
        QString err = expectError([&] { resolveModelFiles(dir.filePath("kws_config.json").toStdString()); });
        QVERIFY2(err.contains("kws.pt") && err.contains("kws.safetensors"), qPrintable(err));
        err = expectError([&] { resolveModelFiles(dir.filePath("nothing.pt").toStdString()); });
        QVERIFY2(err.contains("nothing.pt"), qPrintable(err));
    }

    void inputsAreChecked() {
        const Model m = Model::initialised(ModelConfig::fromJson(kSmall), 1);
        QVERIFY(expectError([&] { m.logits(std::vector<float>(100)); }).contains("4000"));
        std::vector<float> clip(4000, 0.f);
        clip[17] = NAN;
        QVERIFY(expectError([&] { m.logits(clip); }).contains("non-finite"));
    }

    void initialisationIsReproducible() {
        const auto cfg = ModelConfig::fromJson(kSmall);
        std::vector<float> clip(cfg.seq_len);
        for (size_t i = 0; i < clip.size(); ++i) clip[i] = std::sin(0.05f * i);
        QCOMPARE(Model::initialised(cfg, 3).logits(clip), Model::initialised(cfg, 3).logits(clip));
        QVERIFY(Model::initialised(cfg, 3).logits(clip) != Model::initialised(cfg, 4).logits(clip));
    }
};

QTEST_GUILESS_MAIN(TestModel)
#include "test_model.moc"
