// PyTorch Lightning .ckpt files (issue 20, item 4): the state dict under "state_dict" with a
// "model." prefix, beside training state whose hyper-parameters name classes no state dict does
// (AttributeDict, argparse.Namespace, PosixPath, numpy scalars). They load through the same
// whitelisting reader, the prefix is found or given, and a .ckpt that hides a command in its
// hyper-parameters is refused without running it. Fixtures: tests/python/lightning_fixtures.py,
// written by Debian's torch.save at test time.
#include "s4scope/checkpoint.h"
#include "s4scope/error.h"
#include "s4scope/model.h"
#include "test_support.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>

using namespace s4scope;

namespace {

NamedTensors loadExpected(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    NamedTensors out;
    for (const QJsonValue& entry : QJsonDocument::fromJson(f.readAll()).array()) {
        const QJsonObject o = entry.toObject();
        TensorData t;
        for (const QJsonValue& d : o["shape"].toArray()) t.shape.push_back(d.toInteger());
        for (const QJsonValue& v : o["values"].toArray()) t.values.push_back(float(v.toDouble()));
        out.emplace_back(o["name"].toString().toStdString(), std::move(t));
    }
    return out;
}

QString errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

}  // namespace

class TestLightningCheckpoint : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString at(const QString& name) const { return dir_.filePath(name); }
    std::string path(const QString& name) const { return at(name).toStdString(); }
    std::vector<float> clip_;
    std::vector<float> referenceLogits_;

    bool fixture(const QStringList& args) {
        return s4test::runPython(QStringList{s4test::sourcePath("tests/python/lightning_fixtures.py")} + args);
    }

    // A model pair NAME_config.json + NAME.ckpt: the config of the engine-written pair, copied.
    void pairWithConfig(const QString& stem) {
        QFile::remove(at(stem + "_config.json"));
        QVERIFY(QFile::copy(at("engine_config.json"), at(stem + "_config.json")));
    }

private slots:
    void initTestCase() {
        qputenv("S4SCOPE_THREADS", "1");
        QVERIFY(dir_.isValid());
        ModelConfig config;
        config.d_model = 16;
        config.d_state = 8;
        config.n_layers = 2;
        const Model model = Model::initialised(config, 7);
        model.save(path("engine.pt"));  // engine.pt + engine_config.json
        clip_.resize(size_t(config.seq_len));
        for (size_t i = 0; i < clip_.size(); ++i) clip_[i] = float(0.3 * std::sin(0.05 * double(i)) + 0.1 * std::sin(0.31 * double(i)));
        referenceLogits_ = model.logits(clip_);
        QVERIFY(fixture({"lightning", at("engine.pt"), at("lightning.ckpt")}));
        QVERIFY(fixture({"prefixed", at("engine.pt"), at("prefixed.ckpt")}));
    }

    // The tensors under "model." come out exactly, without the prefix, in the state dict's order.
    void readsTheStateDictUnderItsPrefix() {
        const NamedTensors expected = loadExpected(at("lightning.ckpt.expected.json"));
        QVERIFY(!expected.empty());
        const NamedTensors all = readCheckpoint(path("lightning.ckpt"));
        QCOMPARE(all.size(), expected.size());
        for (size_t i = 0; i < all.size(); ++i) {
            QCOMPARE(QString::fromStdString(all[i].first), QString::fromStdString("model." + expected[i].first));
            QCOMPARE(all[i].second.shape, expected[i].second.shape);
            QCOMPARE(all[i].second.values, expected[i].second.values);
        }
    }

    // The prefix is found from the names; the model loaded from the .ckpt computes what the
    // engine-written pair computes, bit for bit (same float32 tensors).
    void modelLoadsFromCkptWithFoundPrefix() {
        pairWithConfig("lightning");
        QVERIFY(detectStateDictPrefix(readCheckpoint(path("lightning.ckpt")), {{"encoder.weight", {}}}) == "model.");
        const Model model = Model::load(path("lightning.ckpt"));
        QCOMPARE(model.logits(clip_), referenceLogits_);
        // Resolving from the config finds NAME.ckpt beside it too.
        QCOMPARE(Model::load(path("lightning_config.json")).logits(clip_), referenceLogits_);
    }

    // Another module's tensors beside the model's ("criterion.weight"): found prefix and an explicit
    // one both take only "model."; a wrong explicit prefix says what the names look like.
    void otherModulesAreIgnoredUnderAPrefix() {
        pairWithConfig("prefixed");
        QCOMPARE(Model::load(path("prefixed.ckpt")).logits(clip_), referenceLogits_);
        QCOMPARE(Model::load(path("prefixed.ckpt"), ModelLoadOptions{std::string("model.")}).logits(clip_), referenceLogits_);
        const QString wrong = errorOf([&] { Model::load(path("prefixed.ckpt"), ModelLoadOptions{std::string("net.")}); });
        QVERIFY2(wrong.contains("no tensor under the prefix 'net.'") && wrong.contains("prefixed.ckpt"), qPrintable(wrong));
        // An empty prefix takes the names as they are: every model key is then missing.
        const QString none = errorOf([&] { Model::load(path("prefixed.ckpt"), ModelLoadOptions{std::string()}); });
        QVERIFY2(none.contains("Missing key(s)") && none.contains("Unexpected key(s): \"model.encoder.weight\""), qPrintable(none));
    }

    // The CLI: --state-dict-prefix reaches the loader; a .ckpt is a model file.
    void cliTakesThePrefixOption() {
        pairWithConfig("prefixed");
        QProcess cli;
        cli.setProcessChannelMode(QProcess::MergedChannels);
        cli.start(QStringLiteral(S4SCOPE_CLI), {"info", "--model", at("prefixed.ckpt"), "--state-dict-prefix", "model."});
        QVERIFY(cli.waitForFinished(120000));
        const QString out = QString::fromUtf8(cli.readAll());
        QVERIFY2(cli.exitCode() == 0, qPrintable(out));
        cli.start(QStringLiteral(S4SCOPE_CLI), {"info", "--model", at("prefixed.ckpt"), "--state-dict-prefix", "criterion."});
        QVERIFY(cli.waitForFinished(120000));
        const QString bad = QString::fromUtf8(cli.readAll());
        QVERIFY2(cli.exitCode() != 0 && bad.contains("Missing key(s)"), qPrintable(bad));
    }

    // Hyper-parameters holding an object whose unpickling runs `touch MARKER` (the fixture proves
    // Python's torch.load runs it): refused by name, and the marker never appears.
    void maliciousHyperParametersAreRefusedAndNothingRuns() {
        const QString marker = at("marker-created-by-the-checkpoint");
        QVERIFY(fixture({"malicious", at("malicious.ckpt"), marker}));
        QVERIFY(!QFile::exists(marker));
        const QString error = errorOf([&] { readCheckpoint(path("malicious.ckpt")); });
        QVERIFY2(error.contains("refuses global 'posix.system'") && error.contains("malicious.ckpt"), qPrintable(error));
        QVERIFY(!QFile::exists(marker));
    }

    // Writing a .ckpt would produce a bare state dict that Lightning cannot use: refused.
    void writingCkptIsRefused() {
        const QString error = errorOf([&] { writeCheckpoint(path("out.ckpt"), {{"a", TensorData{{1}, {1.f}}}}); });
        QVERIFY2(error.contains("writes plain state dicts"), qPrintable(error));
        QVERIFY(!QFile::exists(at("out.ckpt")));
    }
};

QTEST_GUILESS_MAIN(TestLightningCheckpoint)
#include "test_lightning_checkpoint.moc"
