// Checkpoint IO: files written by Python's torch.save read exactly, files written by the engine
// read in Python, and malicious, truncated or corrupt files are refused with a clear Error.
// Fixtures come from tests/python/checkpoint_fixtures.py, run at test time with Debian's Python.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <functional>
#include <random>

#include "io/pickle_reader.h"
#include "io/pickle_writer.h"
#include "s4scope/checkpoint.h"
#include "s4scope/error.h"
#include "test_support.h"

using s4scope::NamedTensors;
using s4scope::TensorData;

namespace {

// The message of the s4scope::Error `f` throws; "<no error>" if it returns, "<other ...>" for any
// other exception type (which would be a bug: bad input must give an s4scope::Error).
QString errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const s4scope::Error& e) {
        return QString::fromStdString(e.what());
    } catch (const std::exception& e) {
        return QStringLiteral("<other exception> ") + e.what();
    }
    return QStringLiteral("<no error>");
}

QString describe(const NamedTensors& a, const NamedTensors& b) {
    if (a.size() != b.size()) return QString("%1 tensors vs %2").arg(a.size()).arg(b.size());
    for (size_t i = 0; i < a.size(); ++i) {
        if (a[i].first != b[i].first)
            return QString("name %1 vs %2").arg(QString::fromStdString(a[i].first), QString::fromStdString(b[i].first));
        if (a[i].second.shape != b[i].second.shape)
            return QString("%1: shape %2 vs %3")
                .arg(QString::fromStdString(a[i].first), QString::fromStdString(s4scope::shapeToString(a[i].second.shape)),
                     QString::fromStdString(s4scope::shapeToString(b[i].second.shape)));
        if (a[i].second.values != b[i].second.values) return QString("%1: values differ").arg(QString::fromStdString(a[i].first));
    }
    return {};
}

#define COMPARE_TENSORS(actual, expected)                          \
    do {                                                           \
        const QString why = describe((actual), (expected));        \
        QVERIFY2(why.isEmpty(), qPrintable(why));                  \
    } while (0)

// Reads [{"name", "shape", "values"}, ...] as written by checkpoint_fixtures.py.
NamedTensors loadExpected(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    NamedTensors out;
    for (const QJsonValue& entry : QJsonDocument::fromJson(f.readAll()).array()) {
        const QJsonObject o = entry.toObject();
        TensorData t;
        for (const QJsonValue& d : o["shape"].toArray()) t.shape.push_back(int64_t(d.toDouble()));
        for (const QJsonValue& v : o["values"].toArray()) t.values.push_back(float(v.toDouble()));
        out.emplace_back(o["name"].toString().toStdString(), std::move(t));
    }
    return out;
}

void saveExpected(const QString& path, const NamedTensors& tensors) {
    QJsonArray list;
    for (const auto& [name, t] : tensors) {
        QJsonArray shape, values;
        for (int64_t d : t.shape) shape.append(double(d));
        for (float v : t.values) values.append(double(v));
        list.append(QJsonObject{{"name", QString::fromStdString(name)}, {"shape", shape}, {"values", values}});
    }
    QFile f(path);
    f.open(QIODevice::WriteOnly);
    f.write(QJsonDocument(list).toJson(QJsonDocument::Compact));
}

// Tensors that exercise the writer: every integer width in sizes/strides, 0-d and empty tensors,
// and more than 1000 entries (SETITEMS batches, LONG_BINPUT memo indices).
NamedTensors engineTensors() {
    NamedTensors out;
    auto add = [&](const std::string& name, std::vector<int64_t> shape) {
        TensorData t;
        t.shape = std::move(shape);
        t.values.resize(size_t(t.numel()));
        for (size_t i = 0; i < t.values.size(); ++i)
            t.values[i] = float(std::sin(0.37 * double(i) + double(out.size())) * 3.0);
        out.emplace_back(name, std::move(t));
    };
    add("encoder.weight", {8, 1, 160});
    add("encoder.bias", {8});
    add("big", {2, 70000});      // stride 70000: BININT
    add("medium", {300, 2});     // BININT2
    add("scalar", {});
    add("empty", {0, 4});
    add("rank5", {1, 2, 1, 3, 2});
    for (int i = 0; i < 1000; ++i) add("layers." + std::to_string(i) + ".D", {3});
    return out;
}

std::string bytesOf(const QString& path) {
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    const QByteArray data = f.readAll();
    return std::string(data.constData(), size_t(data.size()));
}

void writeBytes(const QString& path, const std::string& data) {
    QFile f(path);
    f.open(QIODevice::WriteOnly);
    f.write(data.data(), qint64(data.size()));
}

}  // namespace

class TestCheckpoint : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString at(const QString& name) const { return dir_.filePath(name); }
    std::string path(const QString& name) const { return at(name).toStdString(); }

    // Runs the fixture script; returns "" on success, else its output.
    QString python(const QStringList& args) {
        QString output;
        if (s4test::runPython(QStringList{s4test::sourcePath("tests/python/checkpoint_fixtures.py")} + args, &output))
            return {};
        return "python " + args.join(' ') + " failed:\n" + output;
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        const QString failure = python({"make", dir_.path()});
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
    }

    // torch.save(model.state_dict()) of a small nn.Module: OrderedDict with _metadata, BatchNorm
    // buffers (an int64 0-d tensor), in the module's key order.
    void readsModuleStateDict() {
        const NamedTensors expected = loadExpected(at("module_sd.json"));
        QCOMPARE(expected.size(), size_t(13));
        COMPARE_TENSORS(s4scope::readCheckpoint(path("module_sd.pt")), expected);
    }

    // Plain dict: float64/16, bfloat16, all int widths, bool, transposed and sliced views sharing
    // a storage, a 0-d, an empty tensor and an nn.Parameter; as .pt and as .pth.
    void readsPlainDict_data() {
        QTest::addColumn<QString>("file");
        QTest::newRow("pt") << "plain_dict.pt";
        QTest::newRow("pth") << "plain_dict.pth";
    }
    void readsPlainDict() {
        QFETCH(QString, file);
        const NamedTensors expected = loadExpected(at("plain_dict.json"));
        QCOMPARE(expected.size(), size_t(16));
        COMPARE_TENSORS(s4scope::readCheckpoint(at(file).toStdString()), expected);
    }

    void readsPythonSafetensors() {
        const NamedTensors expected = loadExpected(at("python_safetensors.json"));
        QCOMPARE(expected.size(), size_t(12));
        COMPARE_TENSORS(s4scope::readCheckpoint(path("python.safetensors")), expected);
    }

    // Zero strides and overlapping views inside their storage are legal and materialise correctly.
    void readsExpandedViews() {
        const NamedTensors t = s4scope::readCheckpoint(path("ok_expand.pt"));
        QCOMPARE(t.size(), size_t(2));
        QCOMPARE(t[0].second.shape, (std::vector<int64_t>{2, 3}));
        QCOMPARE(t[0].second.values, (std::vector<float>{2, 3, 4, 2, 3, 4}));
        QCOMPARE(t[1].second.values, (std::vector<float>{1, 2, 2, 3, 3, 4}));
    }

    void readsNestedTrainingCheckpoint() {
        const NamedTensors t = s4scope::readCheckpoint(path("nested.pt"));
        QCOMPARE(t.size(), size_t(1));
        QCOMPARE(t[0].first, std::string("a"));
        QCOMPARE(t[0].second.values, (std::vector<float>{1, 1}));
    }

    // The engine writes .pt/.pth/.safetensors; Python reads them (torch.load gives an
    // OrderedDict, values equal bit for bit, torch.save of it yields the same data.pkl).
    void pythonReadsEngineFiles() {
        const NamedTensors tensors = engineTensors();
        s4scope::writeCheckpoint(path("engine.pt"), tensors);
        s4scope::writeCheckpoint(path("engine.pth"), tensors);
        s4scope::writeCheckpoint(path("engine.safetensors"), tensors);
        saveExpected(at("engine_expected.json"), tensors);
        const QString failure = python({"check", dir_.path()});
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        // And the engine reads its own files back.
        COMPARE_TENSORS(s4scope::readCheckpoint(path("engine.pt")), tensors);
        COMPARE_TENSORS(s4scope::readCheckpoint(path("engine.safetensors")), tensors);
        // No temporary files are left behind.
        const QStringList leftovers = QDir(dir_.path()).entryList({"*s4tmp*"});
        QVERIFY2(leftovers.isEmpty(), qPrintable(leftovers.join(", ")));
    }

    // engine -> Python (torch.load + torch.save) -> engine.
    void roundTripThroughPython() {
        const NamedTensors tensors = engineTensors();
        s4scope::writeCheckpoint(path("roundtrip.pt"), tensors);
        const QString failure = python({"resave", at("roundtrip.pt"), at("roundtrip_python.pt")});
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        COMPARE_TENSORS(s4scope::readCheckpoint(path("roundtrip_python.pt")), tensors);
    }

    void writesAndReadsEmptyStateDict() {
        s4scope::writeCheckpoint(path("nothing.pt"), {});
        s4scope::writeCheckpoint(path("nothing.safetensors"), {});
        QVERIFY(s4scope::readCheckpoint(path("nothing.pt")).empty());
        QVERIFY(s4scope::readCheckpoint(path("nothing.safetensors")).empty());
    }

    // Pickles that run a command when Python unpickles them (the fixture script proves they do).
    // Each is refused by the name the pickle spells, and the command never runs.
    void refusesMaliciousGlobals_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("global");
        QTest::newRow("os.system GLOBAL p2") << "evil_system_p2.pt" << "posix.system";
        QTest::newRow("os.system STACK_GLOBAL p4") << "evil_system_p4.pt" << "posix.system";
        QTest::newRow("builtins.eval p4") << "evil_eval_p4.pt" << "builtins.eval";
        // Protocol 2 spells it the Python 2 way, 'commands.Popen'; the message names both.
        QTest::newRow("subprocess.Popen p2") << "evil_popen_p2.pt" << "subprocess.Popen";
        QTest::newRow("subprocess.Popen p5") << "evil_popen_p5.pt" << "subprocess.Popen";
        QTest::newRow("INST os.system") << "evil_inst.pt" << "os.system";
        QTest::newRow("EXT1") << "evil_ext1.pt" << "extension registry";
        QTest::newRow("torch.save with payload") << "evil_torch_save.pt" << "posix.system";
    }
    void refusesMaliciousGlobals() {
        QFETCH(QString, file);
        QFETCH(QString, global);
        const QString message = errorOf([&] { s4scope::readCheckpoint(at(file).toStdString()); });
        // The pickle spells os.system as posix.system on Linux (nt.system on Windows).
        QString accepted = global;
        if (global == "posix.system" && !message.contains(global)) accepted = "os.system";
        QVERIFY2(message.contains("refuses global"), qPrintable(message));
        QVERIFY2(message.contains(accepted), qPrintable(message));
        QVERIFY2(message.contains(at(file)), qPrintable(message));
        QVERIFY2(!QFile::exists(at("pwned")), "the payload ran");
    }

    void refusesDamagedFiles_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("reason");
        QTest::newRow("legacy format") << "legacy.pt" << "legacy";
        QTest::newRow("no version record") << "bad_no_version.pt" << "no 'archive/version' record";
        QTest::newRow("no data.pkl") << "bad_no_pickle.pt" << "without data.pkl";
        QTest::newRow("TorchScript module") << "torchscript.pt" << "TorchScript module";
        QTest::newRow("unknown opcode") << "bad_opcode.pt" << "unknown pickle opcode 0xff";
        QTest::newRow("truncated pickle") << "bad_truncated_pickle.pt" << "truncated";
        QTest::newRow("string longer than data") << "bad_huge_string.pt" << "truncated";
        QTest::newRow("extent beyond storage") << "bad_extent.pt" << "reaches element 9 of a storage of 4";
        QTest::newRow("offset beyond storage") << "bad_offset.pt" << "reaches element 4 of a storage of 4";
        QTest::newRow("stride beyond storage") << "bad_stride.pt" << "reaches element";
        QTest::newRow("negative size") << "bad_negative_size.pt" << "negative size";
        QTest::newRow("negative stride") << "bad_negative_stride.pt" << "negative stride";
        QTest::newRow("size overflow") << "bad_overflow.pt" << "overflows";
        QTest::newRow("expansion bomb") << "bad_expand.pt" << "expand their storages";
        QTest::newRow("storage smaller than declared") << "bad_storage_size.pt" << "holds 16 bytes";
        QTest::newRow("huge tensor on a small storage") << "bad_storage_huge.pt" << "holds 16 bytes";
        QTest::newRow("zip entry claims 2 GB") << "bad_claimed_size.pt" << "claims 2147483392 bytes";
        QTest::newRow("missing storage record") << "bad_missing_record.pt" << "data/7";
        QTest::newRow("non-tensor entry") << "bad_not_tensor.pt" << "'epoch' is an int";
        QTest::newRow("safetensors huge header length") << "st_huge_header.safetensors" << "16 MiB limit";
        QTest::newRow("safetensors header past end") << "st_long_header.safetensors" << "past the end";
        QTest::newRow("safetensors bad JSON") << "st_bad_json.safetensors" << "not valid JSON";
        QTest::newRow("safetensors offsets out of range") << "st_offsets_out.safetensors" << "outside the 16 data bytes";
        QTest::newRow("safetensors offsets vs shape") << "st_offsets_shape.safetensors" << "span 12";
        QTest::newRow("safetensors reversed offsets") << "st_offsets_reversed.safetensors" << "data_offsets [16, 0]";
        QTest::newRow("safetensors unknown dtype") << "st_bad_dtype.safetensors" << "unsupported dtype 'C64'";
        QTest::newRow("safetensors negative shape") << "st_negative_shape.safetensors" << "invalid shape entry -4";
        QTest::newRow("safetensors shape overflow") << "st_overflow_shape.safetensors" << "overflows";
        QTest::newRow("safetensors header not object") << "st_not_object.safetensors" << "not a JSON object";
        QTest::newRow("safetensors too short") << "st_short.safetensors" << "too short";
    }
    void refusesDamagedFiles() {
        QFETCH(QString, file);
        QFETCH(QString, reason);
        const QString message = errorOf([&] { s4scope::readCheckpoint(at(file).toStdString()); });
        QVERIFY2(message.contains(at(file)), qPrintable(message));
        QVERIFY2(message.contains(reason), qPrintable(message));
    }

    // Damage made here from valid files: truncation, random bytes in the middle, garbage, empty.
    void refusesCorruptArchives() {
        const std::string valid = bytesOf(at("plain_dict.pt"));
        QVERIFY(valid.size() > 1000);
        writeBytes(at("half.pt"), valid.substr(0, valid.size() / 2));
        std::string corrupt = valid;
        std::mt19937 rng(7);
        for (size_t i = corrupt.size() / 2 - 64; i < corrupt.size() / 2 + 64; ++i) corrupt[i] = char(rng());
        writeBytes(at("corrupt.pt"), corrupt);
        std::string garbage(4096, '\0');
        for (char& c : garbage) c = char(rng());
        garbage[0] = 'G';
        writeBytes(at("garbage.pt"), garbage);
        writeBytes(at("garbage.safetensors"), garbage);
        writeBytes(at("empty.pt"), "");
        writeBytes(at("empty.safetensors"), "");
        writeBytes(at("notes.txt"), "hello");
        // Flipped bits inside tensor data leave the zip structure intact: only the CRC tells.
        s4scope::writeCheckpoint(path("big.pt"), engineTensors());
        std::string flipped = bytesOf(at("big.pt"));
        QVERIFY(flipped.size() > 500000);
        flipped[flipped.size() / 2] = char(flipped[flipped.size() / 2] ^ 0x40);
        writeBytes(at("flipped.pt"), flipped);

        const std::vector<std::pair<QString, QString>> cases = {
            {"half.pt", "truncated or corrupt"},
            {"corrupt.pt", "corrupt"},
            {"flipped.pt", "CRC-32 of record 'data/2' does not match"},
            {"garbage.pt", "not a PyTorch zip archive"},
            {"garbage.safetensors", "Safetensors file"},
            {"empty.pt", "empty"},
            {"empty.safetensors", "too short"},
            {"notes.txt", "unsupported extension '.txt'"},
            {"missing.pt", "does not exist"},
        };
        for (const auto& [file, reason] : cases) {
            const QString message = errorOf([&] { s4scope::readCheckpoint(at(file).toStdString()); });
            QVERIFY2(message.contains(at(file)) && message.contains(reason), qPrintable(file + ": " + message));
        }
    }

    // Every prefix of a valid pickle and a few thousand single-byte mutations: an Error or a
    // result, never a crash or another exception type.
    void survivesMutatedPickles() {
        NamedTensors tensors = engineTensors();
        tensors.resize(8);
        const std::string pickle = s4scope::detail::writeStateDictPickle(tensors);
        auto loader = [&](const std::string& key, uint64_t) {
            s4scope::detail::RecordBytes r;
            size_t i = 0;
            while (i < tensors.size() && std::to_string(i) != key) ++i;
            if (i == tensors.size()) throw s4scope::Error("no storage " + key);
            r.data = reinterpret_cast<const uint8_t*>(tensors[i].second.values.data());
            r.size = tensors[i].second.values.size() * sizeof(float);
            return r;
        };
        auto load = [&](const std::string& bytes) {
            return s4scope::detail::readStateDictPickle(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(),
                                                        loader, "mem.pt");
        };
        COMPARE_TENSORS(load(pickle), tensors);
        for (size_t n = 0; n < pickle.size(); ++n) {
            const QString message = errorOf([&] { load(pickle.substr(0, n)); });
            QVERIFY2(message.startsWith("Checkpoint 'mem.pt'"), qPrintable(QString::number(n) + ": " + message));
        }
        std::mt19937 rng(42);
        int refused = 0;
        for (int trial = 0; trial < 5000; ++trial) {
            std::string mutated = pickle;
            mutated[rng() % mutated.size()] = char(rng());
            const QString message = errorOf([&] { load(mutated); });
            QVERIFY2(!message.startsWith("<other"), qPrintable(message));
            refused += message != "<no error>";
        }
        QVERIFY(refused > 0);
    }

    // The same on the archive level (zip structure, records, CRCs), through real files.
    void survivesMutatedArchives() {
        NamedTensors tensors = engineTensors();
        tensors.resize(6);
        s4scope::writeCheckpoint(path("small.pt"), tensors);
        const std::string valid = bytesOf(at("small.pt"));
        std::mt19937 rng(3);
        for (int trial = 0; trial < 300; ++trial) {
            std::string mutated = valid;
            for (int k = 0; k < 4; ++k) mutated[rng() % mutated.size()] = char(rng());
            writeBytes(at("mutated.pt"), mutated);
            const QString message = errorOf([&] { s4scope::readCheckpoint(path("mutated.pt")); });
            QVERIFY2(!message.startsWith("<other"), qPrintable(message));
        }
    }

    void refusesBadWrites() {
        const NamedTensors tensors = engineTensors();
        QVERIFY(errorOf([&] { s4scope::writeCheckpoint(path("weights.bin"), tensors); }).contains("unsupported extension '.bin'"));
        QVERIFY(errorOf([&] { s4scope::writeCheckpoint(path("no/such/dir/w.pt"), tensors); }).contains("no/such/dir/w.pt"));
        QVERIFY(errorOf([&] { s4scope::writeCheckpoint(path("no/such/dir/w.safetensors"), tensors); })
                    .contains("no/such/dir/w.safetensors"));
        NamedTensors inconsistent = {{"w", TensorData{{2, 2}, {1, 2, 3}}}};
        QVERIFY(errorOf([&] { s4scope::writeCheckpoint(path("w.pt"), inconsistent); }).contains("3 values for shape (2, 2)"));
        NamedTensors duplicate = {{"w", TensorData{{1}, {1}}}, {"w", TensorData{{1}, {2}}}};
        QVERIFY(errorOf([&] { s4scope::writeCheckpoint(path("w.safetensors"), duplicate); }).contains("appears twice"));
    }

    void checkStrictNamesEveryProblem() {
        const NamedTensors tensors = {{"a", TensorData{{2, 3}, std::vector<float>(6)}},
                                      {"b", TensorData{{4}, std::vector<float>(4)}},
                                      {"extra", TensorData{{1}, {0}}}};
        const std::vector<s4scope::ExpectedTensor> model = {{"a", {3, 2}}, {"b", {4}}, {"c", {5}}, {"d", {}}};
        const QString message = errorOf([&] { s4scope::checkStrict(tensors, model, "model.pt"); });
        QVERIFY2(message.contains("'model.pt'"), qPrintable(message));
        QVERIFY2(message.contains("Missing key(s): \"c\", \"d\""), qPrintable(message));
        QVERIFY2(message.contains("Unexpected key(s): \"extra\""), qPrintable(message));
        QVERIFY2(message.contains("size mismatch for a: checkpoint (2, 3) vs model (3, 2)"), qPrintable(message));
        QVERIFY2(!message.contains("for b"), qPrintable(message));

        const std::vector<s4scope::ExpectedTensor> exact = {{"extra", {1}}, {"b", {4}}, {"a", {2, 3}}};
        QCOMPARE(errorOf([&] { s4scope::checkStrict(tensors, exact, "model.pt"); }), QString("<no error>"));
    }
};

QTEST_MAIN(TestCheckpoint)
#include "test_checkpoint.moc"
