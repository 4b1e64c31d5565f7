// s4scope-cli as a batch tool (issue 16): help and version, run.sh's main job with the bundled
// model, many inputs with bad ones among them, resume after an interruption, shards and merge,
// and the keyword scan of long recordings (engine function and command).
#include <QtTest>

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QThread>

#include <csignal>

#include "cli_test_support.h"
#include "s4scope/model.h"
#include "s4scope/resources.h"
#include "s4scope/scan.h"

using namespace clitest;

class TestCli : public QObject {
    Q_OBJECT

private slots:
    void helpOnEveryCommandAndVersion() {
        const Run top = runCli({"--help"});
        QCOMPARE(top.exitCode, 0);
        QStringList commands = {"classify", "explain", "scan", "merge", "methods", "info"};
        if (top.out.contains("figure")) commands << "figure";
        for (const QString& c : commands) {
            QVERIFY2(top.out.contains(c), qPrintable(c));
            const Run r = runCli({c, "--help"});
            QVERIFY2(r.exitCode == 0, qPrintable(c + ": " + r.err));
            QVERIFY2(r.out.contains("Usage") && r.out.contains("--help"), qPrintable(r.out));
            QVERIFY2(!r.err.contains("needs a value"), qPrintable(r.err));
        }
        QVERIFY(runCli({"explain", "--help"}).out.contains("--resume"));
        QVERIFY(runCli({"explain", "--help"}).out.contains("--shard"));
        QVERIFY(runCli({"scan", "--help"}).out.contains("--hop"));
        const Run v = runCli({"--version"});
        QCOMPARE(v.exitCode, 0);
        QVERIFY2(QRegularExpression("^s4scope-cli \\d+\\.\\d+\\.\\d+\\s*$").match(v.out).hasMatch(), qPrintable(v.out));
        // Wrong usage: a message and a non-zero exit, not a crash.
        const Run bad = runCli({"explain", "--no-such-option"});
        QVERIFY(bad.exitCode != 0 && bad.exitCode != -1);
        QVERIFY(runCli({"frobnicate"}).exitCode != 0);
    }

    // README's first command (scripts/run.sh) past its setup and build: its weights check must
    // find the bundled .pt (only .pt ships, so the .pth/.safetensors patterns match nothing).
    void runScriptUsesTheBundledModel() {
        QVERIFY(!s4scope::bundledModelPath().empty());
        QProcess p;
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert("S4SCOPE_CLI", S4SCOPE_CLI);
        env.insert("S4SCOPE_RUN_NO_GUI", "1");
        p.setProcessEnvironment(env);
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start("bash", {S4SCOPE_SOURCE_DIR "/scripts/run.sh"});
        QVERIFY(p.waitForFinished(120000));
        const QString out = QString::fromUtf8(p.readAll());
        QVERIFY2(p.exitCode() == 0, qPrintable(out));
        QVERIFY2(!out.contains("freshly initialised"), qPrintable(out));
        QVERIFY2(out.contains("s4_kws.pt (the bundled model)"), qPrintable(out));
        QVERIFY2(out.contains("prediction: yes ("), qPrintable(out));
        QVERIFY2(out.contains("lrp_epsilon: target 0 (yes)"), qPrintable(out));
    }

    void manyInputsWithBadOnes() {
        QTemporaryDir dir;
        const QString data = dir.filePath("data");
        const QStringList good = makeClips(data, 12);
        QFile(dir.filePath("data/part0/empty.wav")).open(QIODevice::WriteOnly);
        QFile text(dir.filePath("data/part1/text.wav"));
        QVERIFY(text.open(QIODevice::WriteOnly));
        text.write("this is not audio\n");
        text.close();
        QFile notes(dir.filePath("data/part1/notes.txt"));  // not audio by name: not picked up
        QVERIFY(notes.open(QIODevice::WriteOnly));
        notes.close();
        // A list file: a relative path, a comment, a missing file.
        QFile list(dir.filePath("list.txt"));
        QVERIFY(list.open(QIODevice::WriteOnly));
        list.write("# extra clips\nextra/yes.wav\n\n/nonexistent/missing.wav\n");
        list.close();
        QDir().mkpath(dir.filePath("extra"));
        QVERIFY(QFile::copy(bundledClip("yes.wav"), dir.filePath("extra/yes.wav")));

        const QString out = dir.filePath("out");
        const Run r = runCli({"explain", data, "@" + dir.filePath("list.txt"), "-m", "lrp_epsilon,gradient", "-O", out});
        QVERIFY2(r.exitCode == 3, qPrintable(r.err));  // some inputs failed, the rest completed
        for (const char* bad : {"empty.wav", "text.wav", "missing.wav"}) QVERIFY2(r.err.contains(QString("failed: ") + "") && r.err.contains(bad), qPrintable(r.err));
        QVERIFY(!r.err.contains("notes.txt"));
        const auto index = readIndex(out + "/index.jsonl");
        QCOMPARE(int(index.size()), (12 + 1 + 3) * 2);
        int ok = 0;
        for (const auto& line : index) {
            const QString input = line["input"].toString();
            const bool isBad = input.endsWith("empty.wav") || input.endsWith("text.wav") || input.endsWith("missing.wav");
            QCOMPARE(line["status"].toString(), isBad ? QString("error") : QString("ok"));
            if (isBad) {
                QVERIFY2(line["error"].toString().contains(QFileInfo(input).fileName()), qPrintable(line["error"].toString()));
                continue;
            }
            ++ok;
            const QString file = out + "/" + line["output"].toString();
            QVERIFY2(QFileInfo(file).size() == 128 + 16000 * 4, qPrintable(file));  // NPY: header + float32 per sample
            QCOMPARE(line["logits"].toArray().size(), 10);
            // The predicted class is the clip's keyword (file name), as for the bundled clips.
            const QString word = QFileInfo(input).baseName().section('_', 0, 0);
            QCOMPARE(line["predicted_label"].toString(), word);
        }
        QCOMPARE(ok, 26);
        // A batch result equals the single-clip command's for the same clip and method.
        const QString single = dir.filePath("single.npy");
        QCOMPARE(runCli({"explain", good[4], "-m", "gradient", "-o", single}).exitCode, 0);
        for (const auto& line : index)
            if (line["input"].toString() == good[4] && line["method"].toString() == "gradient")
                QCOMPARE(fileBytes(out + "/" + line["output"].toString()), fileBytes(single));

        // classify takes the same inputs in batches.
        const Run c = runCli({"classify", data, "--json"});
        QCOMPARE(c.exitCode, 3);
        int lines = 0, right = 0;
        for (const QString& l : c.out.split('\n', Qt::SkipEmptyParts)) {
            const auto o = QJsonDocument::fromJson(l.toUtf8()).object();
            ++lines;
            if (o["status"].toString() == "ok")
                right += o["label"].toString() == QFileInfo(o["input"].toString()).baseName().section('_', 0, 0);
        }
        QCOMPARE(lines, 14);
        QCOMPARE(right, 12);
    }

    // Outputs are named after the input path: the same file twice is done once, two files that
    // would share output names are refused before any work.
    void inputsSharingAnOutputName() {
        QTemporaryDir dir;
        QDir().mkpath(dir.filePath("w/x"));
        QDir().mkpath(dir.filePath("x"));
        QVERIFY(QFile::copy(bundledClip("yes.wav"), dir.filePath("x/yes.wav")));
        QVERIFY(QFile::copy(bundledClip("no.wav"), dir.filePath("w/x/yes.wav")));
        const QString inner = dir.filePath("w/x/yes.wav");
        const Run twice = runCli({"classify", inner, dir.filePath("w/./x/yes.wav"), "--json", "-q"});
        QCOMPARE(twice.exitCode, 0);
        QCOMPARE(twice.out.count('\n'), 1);
        QProcess p;
        p.setWorkingDirectory(dir.filePath("w"));
        p.start(S4SCOPE_CLI, {"classify", "../x/yes.wav", "x/yes.wav"});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 1);
        QVERIFY(p.readAllStandardError().contains("would share the output name 'x/yes.wav'"));
    }

    void resumeAfterAnInterruptedBatch() {
        QTemporaryDir dir;
        makeClips(dir.filePath("data"), 24);
        const QString out = dir.filePath("out");
        // A slow method and small chunks, so the batch is stopped midway by SIGKILL.
        const QStringList args = {"explain", dir.filePath("data"), "-m", "integrated_gradients", "--param", "steps=96",
                                  "--chunk", "2", "-q", "-O", out};
        QProcess p;
        p.start(S4SCOPE_CLI, args);
        QVERIFY(p.waitForStarted());
        int before = 0;
        for (int i = 0; i < 3000 && before < 6; ++i) {
            QThread::msleep(5);
            before = int(readIndex(out + "/index.jsonl").size());
        }
        p.kill();
        p.waitForFinished();
        before = int(readIndex(out + "/index.jsonl").size());
        QVERIFY2(before >= 6 && before < 24, qPrintable(QString::number(before)));
        const Run r = runCli(args + QStringList{"--resume"});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains(QString("resume: %1 explanations already done, %2 to do").arg(before).arg(24 - before)), qPrintable(r.err));
        const auto index = readIndex(out + "/index.jsonl");
        QCOMPARE(int(index.size()), 24);  // nothing done twice
        QSet<QString> keys;
        for (const auto& l : index) keys.insert(l["key"].toString());
        QCOMPARE(keys.size(), 24);
        // Same files as one uninterrupted run.
        const QString whole = dir.filePath("whole");
        QCOMPARE(runCli({"explain", dir.filePath("data"), "-m", "integrated_gradients", "--param", "steps=96", "-q", "-O", whole}).exitCode, 0);
        QString why;
        QVERIFY2(sameOutputs(whole, out, &why), qPrintable(why));
        // A resumed run with nothing left does nothing.
        const Run again = runCli(args + QStringList{"--resume"});
        QVERIFY(again.exitCode == 0 && again.err.contains("24 explanations already done, 0 to do"));
        QCOMPARE(int(readIndex(out + "/index.jsonl").size()), 24);
    }

    void shardsUnionEqualsTheWhole() {
        QTemporaryDir dir;
        makeClips(dir.filePath("data"), 30);
        const QStringList common = {"explain", dir.filePath("data"), "-m", "lrp_epsilon", "-m", "gradient_x_input", "-q"};
        QCOMPARE(runCli(common + QStringList{"-O", dir.filePath("whole")}).exitCode, 0);
        QStringList shards;
        QSet<QString> seen;
        int total = 0;
        for (int k = 1; k <= 3; ++k) {
            const QString folder = dir.filePath(QString("shard%1").arg(k));
            QCOMPARE(runCli(common + QStringList{"--shard", QString("%1/3").arg(k), "-O", folder}).exitCode, 0);
            const auto index = readIndex(folder + "/index.jsonl");
            QVERIFY2(index.size() >= 2 && index.size() < 60, "a shard holds a part");
            for (const auto& l : index) {
                const QString id = l["key"].toString() + "|" + l["method"].toString();
                QVERIFY2(!seen.contains(id), qPrintable(id));  // disjoint
                seen.insert(id);
            }
            total += int(index.size());
            shards << folder;
        }
        QCOMPARE(total, 60);
        const Run m = runCli(QStringList{"merge"} + shards + QStringList{"-O", dir.filePath("merged")});
        QVERIFY2(m.exitCode == 0, qPrintable(m.err));
        QCOMPARE(comparableIndex(dir.filePath("merged/index.jsonl")), comparableIndex(dir.filePath("whole/index.jsonl")));
        QString why;
        QVERIFY2(sameOutputs(dir.filePath("whole"), dir.filePath("merged"), &why), qPrintable(why));
        // The split depends on the key only: a clip's shard does not change when others are added.
        const Run part = runCli({"classify", dir.filePath("data/part0"), "--shard", "2/3", "--json", "-q"});
        QSet<QString> shard2;
        for (const auto& l : readIndex(dir.filePath("shard2/index.jsonl"))) shard2.insert(l["key"].toString());
        for (const QString& l : part.out.split('\n', Qt::SkipEmptyParts))
            QVERIFY(shard2.contains(QJsonDocument::fromJson(l.toUtf8()).object()["key"].toString()));
        QVERIFY(runCli({"classify", dir.filePath("data"), "--shard", "4/3"}).err.contains("--shard 4/3"));
    }

    void detectionsFollowThresholdGateAndClass() {
        using s4scope::ScanWindow;
        std::vector<ScanWindow> w(10);
        for (int i = 0; i < 10; ++i) w[size_t(i)] = {0.1 * i, 0, 0.9f, -20, true};
        w[3].probability = 0.4f;  // below the threshold: splits
        w[5].classIndex = 1;      // another class: splits
        w[7].speech = false;      // gate closed: splits
        w[8].probability = 0.95f;
        const auto d = s4scope::detectKeywords(w, 1.0, {"a", "b"}, 0.5);
        QCOMPARE(int(d.size()), 5);  // [0-2] a, [4] a, [5] b, [6] a, [8-9] a
        QCOMPARE(d[0].label, std::string("a"));
        QCOMPARE(d[0].windows, int64_t(3));
        QCOMPARE(d[0].end, 0.2 + 1.0);
        QCOMPARE(d[2].label, std::string("b"));
        QCOMPARE(d[4].peakStart, 0.8);
        QCOMPARE(d[4].peakProbability, 0.95f);
        // Runs shorter than the minimum are dropped (words cut by the window's edge).
        const auto held = s4scope::detectKeywords(w, 1.0, {"a", "b"}, 0.5, 2);
        QCOMPARE(int(held.size()), 2);
        QCOMPARE(held[1].start, 0.8);
    }

    // All ten keywords, 3.6 s apart in quiet noise: the scan (with its default settings) reports
    // exactly the spoken words, in order, each where it is. Without the overlap rule "no", "down"
    // and others also drew a short run of another keyword beside them (windows holding only part
    // of the word: "down" without its "d" reads as "on"); --max-overlap 1 shows those come back.
    void scanFindsExactlyTheSpokenWords() {
        const auto model = s4scope::Model::load(s4scope::bundledModelPath());
        const QStringList words = keywordNames();
        const double spacing = 3.6;
        std::vector<float> recording(size_t(16000 * (1.0 + spacing * words.size())), 0.0f);
        uint32_t state = 3;
        for (auto& s : recording) {  // -66 dBFS noise
            state = state * 1664525u + 1013904223u;
            s = 0.0005f * (float(state >> 8) / float(1 << 24) - 0.5f) * 2.0f;
        }
        std::vector<std::pair<double, double>> spoken;  // the word inside each placed clip, seconds
        for (int i = 0; i < words.size(); ++i) {
            const double at = 1.0 + spacing * i;
            const auto clip = s4scope::loadAudio(bundledClip(words[i] + ".wav").toStdString()).samples;
            for (size_t k = 0; k < clip.size(); ++k) recording[size_t(at * 16000) + k] += clip[k];
            const auto word = QJsonDocument::fromJson(fileBytes(bundledClip(words[i] + ".word.json"))).object();
            spoken.push_back({at + word["start"].toDouble() / 16000, at + word["end"].toDouble() / 16000});
        }
        const auto r = s4scope::scanRecording(model, recording);
        QStringList found;
        for (const auto& d : r.detections) found << QString("%1@%2-%3").arg(QString::fromStdString(d.label)).arg(d.start).arg(d.end);
        qInfo("detections: %s", qPrintable(found.join(", ")));
        QCOMPARE(int(r.detections.size()), words.size());
        for (int i = 0; i < words.size(); ++i) {
            const auto& d = r.detections[size_t(i)];
            QCOMPARE(QString::fromStdString(d.label), words[i]);
            // Every window of the run holds the word: the run's span covers it, its peak window too.
            QVERIFY2(d.start <= spoken[size_t(i)].first + 0.15 && d.end >= spoken[size_t(i)].second - 0.15, qPrintable(found[i]));
            QVERIFY2(d.peakStart <= spoken[size_t(i)].first + 0.15 && d.peakStart + 1 >= spoken[size_t(i)].second - 0.15, qPrintable(found[i]));
        }
        // The overlap rule alone (no minimum run) already gives exactly the words; without it every
        // word draws edge runs of other keywords (measured: 20 detections for the 10 words).
        s4scope::ScanOptions ruleOnly;
        ruleOnly.minRunSeconds = 0;
        const auto ruled = s4scope::scanRecording(model, recording, ruleOnly);
        QCOMPARE(int(ruled.detections.size()), words.size());
        for (int i = 0; i < words.size(); ++i) QCOMPARE(QString::fromStdString(ruled.detections[size_t(i)].label), words[i]);
        s4scope::ScanOptions keepAll = ruleOnly;
        keepAll.maxOverlap = 1;
        const auto unfiltered = s4scope::scanRecording(model, recording, keepAll);
        qInfo("no minimum run: %d detections with the overlap rule, %d without", int(ruled.detections.size()), int(unfiltered.detections.size()));
        QVERIFY(unfiltered.detections.size() >= r.detections.size() + 5);
        // The command agrees with the engine.
        QTemporaryDir dir;
        s4scope::writeWav(dir.filePath("words.wav").toStdString(), recording, 16000);
        const Run csv = runCli({"scan", dir.filePath("words.wav"), "-o", dir.filePath("words.csv"), "-q"});
        QVERIFY2(csv.exitCode == 0, qPrintable(csv.err));
        const auto rows = fileBytes(dir.filePath("words.csv")).trimmed().split('\n');
        QCOMPARE(rows.size(), words.size() + 1);
        for (int i = 0; i < words.size(); ++i) QVERIFY(rows[i + 1].startsWith(words[i].toUtf8() + ","));
    }

    void overlapRuleKeepsTheStrongerOfTwoKeywords() {
        using s4scope::ScanWindow;
        // b holds 7 windows, a 3 right after it (the tail of b's word), c 3 windows two seconds on.
        std::vector<ScanWindow> w;
        for (int i = 0; i < 7; ++i) w.push_back({0.1 * i, 1, 0.9f, -20, true});
        for (int i = 7; i < 10; ++i) w.push_back({0.1 * i, 0, 0.8f, -20, true});
        for (int i = 10; i < 30; ++i) w.push_back({0.1 * i, 0, 0.2f, -20, true});
        for (int i = 30; i < 33; ++i) w.push_back({0.1 * i, 2, 0.7f, -20, true});
        const auto all = s4scope::detectKeywords(w, 1.0, {"a", "b", "c"}, 0.5, 1, 1.0);
        QCOMPARE(int(all.size()), 3);
        const auto kept = s4scope::detectKeywords(w, 1.0, {"a", "b", "c"}, 0.5, 1, 0.5);
        QCOMPARE(int(kept.size()), 2);  // a shares 0.9 of its 1.2 s with b, which is stronger
        QCOMPARE(kept[0].label, std::string("b"));
        QCOMPARE(kept[1].label, std::string("c"));
    }

    // A long recording with three keywords in quiet noise: the scan finds them, in order, where
    // they are, and nothing in the silence between.
    void scanFindsKeywordsInALongRecording() {
        const auto model = s4scope::Model::load(s4scope::bundledModelPath());
        std::vector<float> recording(16000 * 9, 0.0f);
        uint32_t state = 1;
        for (auto& s : recording) {  // -66 dBFS noise
            state = state * 1664525u + 1013904223u;
            s = 0.0005f * (float(state >> 8) / float(1 << 24) - 0.5f) * 2.0f;
        }
        const std::vector<std::pair<QString, double>> words = {{"yes", 1.0}, {"stop", 4.0}, {"left", 6.5}};
        for (const auto& [word, at] : words) {
            const auto clip = s4scope::loadAudio(bundledClip(word + ".wav").toStdString()).samples;
            for (size_t i = 0; i < clip.size(); ++i) recording[size_t(at * 16000) + i] += clip[i];
        }
        s4scope::ScanOptions options;
        int progressCalls = 0;
        options.progress = [&](double) { ++progressCalls; };
        options.batchSize = 32;
        const auto r = s4scope::scanRecording(model, recording, options);
        QCOMPARE(int(r.windows.size()), 81);  // starts 0, 0.1, ... 8.0: the last window ends at 9 s
        QCOMPARE(r.windows.back().start, 8.0);
        QCOMPARE(progressCalls, 3);
        QVERIFY(!r.windows.front().speech);  // noise only at 0..1 s
        QCOMPARE(int(r.detections.size()), 3);
        for (size_t i = 0; i < 3; ++i) {
            QCOMPARE(QString::fromStdString(r.detections[i].label), words[i].first);
            QVERIFY2(std::abs(r.detections[i].peakStart - words[i].second) <= 0.35,
                     qPrintable(QString::number(r.detections[i].peakStart)));
            QVERIFY(r.detections[i].peakProbability >= 0.5f);
        }
        // The command writes the same timeline.
        QTemporaryDir dir;
        s4scope::writeWav(dir.filePath("long.wav").toStdString(), recording, 16000);
        const Run csv = runCli({"scan", dir.filePath("long.wav"), "-o", dir.filePath("long.csv"), "-q"});
        QVERIFY2(csv.exitCode == 0, qPrintable(csv.err));
        const auto rows = fileBytes(dir.filePath("long.csv")).split('\n');
        QCOMPARE(rows[0], QByteArray("label,start_s,end_s,peak_start_s,peak_probability,windows"));
        QVERIFY(rows[1].startsWith("yes,") && rows[2].startsWith("stop,") && rows[3].startsWith("left,"));
        const Run json = runCli({"scan", dir.filePath("long.wav"), "-o", dir.filePath("long.json"), "--hop", "0.25", "-q"});
        QCOMPARE(json.exitCode, 0);
        const auto j = QJsonDocument::fromJson(fileBytes(dir.filePath("long.json"))).object();
        QCOMPARE(j["windows"].toArray().size(), 33);
        QCOMPARE(j["detections"].toArray().size(), 3);
        QCOMPARE(j["hop_s"].toDouble(), 0.25);
        QVERIFY(runCli({"scan", dir.filePath("long.wav"), "--hop", "0"}).exitCode != 0);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
