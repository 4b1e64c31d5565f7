// The training pipeline end to end at CI size, and the dataset builder's and augmentation's
// guarantees: the split is by speaker in every engine and deterministic, reserved voices are
// refused, a subset holds exactly the full build's clips, bad input is reported by name, each
// augmentation does what it says, and a miniature Speech Commands folder trains into a loadable
// model pair through the command line.
#include "augmentation.h"
#include "babble_builder.h"
#include "channel_colour.h"
#include "dataset_builder.h"
#include "dataset_options.h"
#include "dataset_plan.h"
#include "espeak_synthesiser.h"
#include "festival_synthesiser.h"
#include "formant_warp.h"
#include "lpc.h"
#include "noise_sources.h"
#include "reserved_voices.h"
#include "room_reverb.h"
#include "speech_commands.h"
#include "time_stretch.h"
#include "trainer.h"
#include "voice_catalogue.h"
#include "voice_split.h"
#include "wav_writer.h"
#include "s4scope/audio_io.h"
#include "s4scope/error.h"
#include "s4scope/model.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <fstream>
#include <map>
#include <regex>
#include <set>

using namespace s4scope;
using namespace s4scope::train;

namespace {

// A few clips: two accents, three variants, one rendition, espeak-ng only.
DatasetOptions tinyDataset(const QString& dir) {
    DatasetOptions o;
    o.outDir = dir.toStdString();
    o.accents = {"en-US", "en-GB-x-rp"};
    o.variants = {"default", "f3", "m3"};
    o.classicAccents = {"none"};
    o.fliteVoices = {"none"};
    o.festivalVoices = {"none"};
    o.espeakRenditions = 1;
    o.validationFraction = 0;
    o.testFraction = 0;
    o.babbleSentences = 0;
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

// A vowel: a 120 Hz pulse train through resonators at the given formants (bandwidth 80 Hz).
std::vector<float> vowel(const std::vector<double>& formants, double f0, double seconds, int rate = 16000) {
    std::vector<float> x(size_t(seconds * rate), 0.f);
    const size_t period = size_t(std::lround(rate / f0));
    for (size_t i = 0; i < x.size(); i += period) x[i] = 1.f;
    for (double f : formants) {
        const double r = std::exp(-M_PI * 80.0 / rate), theta = 2 * M_PI * f / rate;
        const double a1 = -2 * r * std::cos(theta), a2 = r * r;
        double y1 = 0, y2 = 0;
        for (float& s : x) {
            const double y = s - a1 * y1 - a2 * y2;
            y2 = y1;
            y1 = y;
            s = float(y);
        }
    }
    float peak = 0;
    for (float s : x) peak = std::max(peak, std::abs(s));
    for (float& s : x) s = 0.5f * s / peak;
    return x;
}

// The formants of the middle 0.2 s (LPC order 10 of a Hamming-windowed stretch).
std::vector<double> measuredFormants(const std::vector<float>& x, int rate = 16000) {
    const size_t n = size_t(0.2 * rate), begin = (x.size() - n) / 2;
    std::vector<double> frame(n);
    double previous = 0;
    for (size_t i = 0; i < n; ++i) {  // pre-emphasis, as formant trackers do, then the window
        const double s = x[begin + i];
        frame[i] = (s - 0.7 * previous) * (0.54 - 0.46 * std::cos(2 * M_PI * double(i) / double(n - 1)));
        previous = s;
    }
    return formantFrequencies(lpcCoefficients(frame.data(), n, 10), rate, 300);
}

// The fundamental frequency of the middle 0.2 s, by autocorrelation over 60..400 Hz: the shortest
// lag within 10% of the best (multiples of the period correlate as well as the period).
double measuredF0(const std::vector<float>& x, int rate = 16000) {
    const size_t n = size_t(0.2 * rate), begin = (x.size() - n) / 2 - size_t(rate / 120);
    std::vector<double> c(size_t(rate / 60) + 1, 0.0);
    double best = -1e300;
    for (size_t lag = size_t(rate / 400); lag < c.size(); ++lag) {
        for (size_t i = 0; i < n; ++i) c[lag] += double(x[begin + i]) * x[begin + i + lag];
        best = std::max(best, c[lag]);
    }
    for (size_t lag = size_t(rate / 400) + 1; lag + 1 < c.size(); ++lag)
        if (c[lag] >= 0.9 * best && c[lag] >= c[lag - 1] && c[lag] >= c[lag + 1]) return double(rate) / double(lag);
    return 0;
}

// The formant of `measured` nearest to `target`.
double nearest(const std::vector<double>& measured, double target) {
    double best = 1e300;
    for (double f : measured)
        if (std::abs(f - target) < std::abs(best - target)) best = f;
    return best;
}

bool allFinite(const std::vector<float>& x) {
    return std::all_of(x.begin(), x.end(), [](float s) { return std::isfinite(s); });
}

double power(const std::vector<float>& x, size_t begin, size_t end) {
    double p = 0;
    for (size_t i = begin; i < end; ++i) p += double(x[i]) * x[i];
    return p / double(end - begin);
}

void writeText(const QString& path, const QString& text) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text.toUtf8());
}

// Speech Commands in its own layout, miniature: every keyword by three espeak-ng "speakers",
// one speaker for validation and one for test, a word that is none of the ten, one noise file.
void writeMiniSpeechCommands(const QString& root) {
    const std::vector<std::pair<std::string, std::string>> speakers = {
        {"0a7c2a8d", "f3"}, {"1b2c3d4e", "m3"}, {"9f8e7d6c", "f1"}};
    QString validation, testing;
    auto& espeak = EspeakSynthesiser::instance();
    for (const auto& word : keywordList()) {
        QDir().mkpath(root + "/" + QString::fromStdString(word));
        for (size_t s = 0; s < speakers.size(); ++s) {
            const auto w = espeak.speak(word, "en-US", speakers[s].second, 160, 50);
            auto samples = resample(w.samples, w.sampleRate, 16000);
            samples.resize(std::min<size_t>(samples.size(), 16000));
            const QString rel = QString::fromStdString(word + "/" + speakers[s].first + "_nohash_0.wav");
            writeWav16((root + "/" + rel).toStdString(), samples, 16000);
            if (s == 1) validation += rel + "\n";
            if (s == 2) testing += rel + "\n";
        }
    }
    QDir().mkpath(root + "/bed");
    const auto bed = espeak.speak("bed", "en-US", "m1", 160, 50);
    writeWav16((root + "/bed/5a5a5a5a_nohash_0.wav").toStdString(), resample(bed.samples, bed.sampleRate, 16000), 16000);
    QDir().mkpath(root + "/_background_noise_");
    Rng rng(5);
    std::vector<float> hiss(32000);
    for (float& s : hiss) s = float(0.1 * rng.normal());
    writeWav16((root + "/_background_noise_/white_noise.wav").toStdString(), hiss, 16000);
    writeText(root + "/validation_list.txt", validation);
    writeText(root + "/testing_list.txt", testing);
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

    // The shipped data set's plan (no audio): no speaker in two splits, in any engine; whole
    // speakers of every engine are held out as the issue asks.
    void splitsShareNoSpeaker() {
        const DatasetOptions o;
        const auto voices = catalogueVoices(o);
        const auto plan = planDataset(o, voices, keywordList());
        std::map<std::string, std::string> splitOfSpeaker;  // engine/speaker -> split
        std::map<std::string, std::map<std::string, std::set<std::string>>> heldOut;  // split -> engine -> speakers
        std::set<std::string> engines;
        for (const auto& c : plan) {
            const std::string group = c.voice.splitGroup();
            auto [it, fresh] = splitOfSpeaker.emplace(group, c.split);
            QVERIFY2(it->second == c.split, qPrintable(QString::fromStdString(group + " is in two splits")));
            engines.insert(c.voice.engine);
            if (c.split != "train") heldOut[c.split][c.voice.engine].insert(group);
        }
        QCOMPARE(engines, (std::set<std::string>{"espeak", "espeak-ng", "festival", "flite"}));
        auto count = [&](const std::string& engine) {
            return heldOut["validation"][engine].size() + heldOut["test"][engine].size();
        };
        QVERIFY(count("flite") >= 1);
        QVERIFY(count("festival") >= 3);
        QVERIFY(count("espeak") >= 2);
        QVERIFY(count("espeak-ng") >= 10);
        QVERIFY(!heldOut["test"]["festival"].empty() && !heldOut["validation"]["festival"].empty());
        // A held-out espeak variant is held out in both espeaks, in every accent.
        for (const auto& c : plan)
            if (c.voice.engine == "espeak") {
                bool espeakNgHasIt = false;
                for (const auto& d : voices)
                    espeakNgHasIt |= d.engine == "espeak-ng" && d.splitGroup() == c.voice.splitGroup();
                if (espeakNgHasIt) QCOMPARE(QString::fromStdString(splitOfSpeaker.at(c.voice.splitGroup())),
                                            QString::fromStdString(c.split));
            }
        // And the same split for the same seed, a different one for another seed.
        QCOMPARE(assignSplits(voices, o), assignSplits(voices, o));
        DatasetOptions other;
        other.seed = 2;
        QVERIFY(assignSplits(voices, other) != assignSplits(voices, o));
    }

    void reservedVoicesAreRefused() {
        for (const std::string name : {"kal_diphone", "ked_diphone", "cmu_us_slt_arctic_hts", "us_slt_hts"}) {
            QVERIFY(isReservedFestivalVoice(name));
            QTemporaryDir dir;
            DatasetOptions o = tinyDataset(dir.path());
            o.festivalVoices = {"czech_ph", name};
            try {
                buildDataset(o, nullptr);
                QFAIL(qPrintable(QString::fromStdString("the reserved voice " + name + " was accepted")));
            } catch (const Error& e) {
                QVERIFY2(QString(e.what()).contains(QString::fromStdString(name)) && QString(e.what()).contains("reserved"),
                         e.what());
            }
            QVERIFY_THROWS_EXCEPTION(Error, FestivalSynthesiser::instance().prefetch(name, {{"yes", 1.0}}));
            QVERIFY_THROWS_EXCEPTION(Error, FestivalSynthesiser::instance().speak("yes", name, 1.0));
        }
        // Nothing on the allow-list is reserved or English; the defaults use only the allow-list.
        for (const auto& v : FestivalSynthesiser::allowedVoices()) {
            QVERIFY2(!isReservedFestivalVoice(v), v.c_str());
            QVERIFY(FestivalSynthesiser::languageOf(v) != "english" && !FestivalSynthesiser::languageOf(v).empty());
        }
        for (const auto& v : catalogueVoices(DatasetOptions{}))
            if (v.engine == "festival") QVERIFY(!isReservedFestivalVoice(v.accent));
        // Babble sentences hold none of the keywords.
        const auto words = keywordList();
        const std::set<std::string> keywords(words.begin(), words.end());
        for (const auto& sentence : babbleSentences()) {
            std::istringstream words(sentence);
            for (std::string w; words >> w;) QVERIFY2(!keywords.count(w), sentence.c_str());
        }
    }

    void buildIsReproducibleAndSubsetsAgree() {
        // Two runs of the tool with the same options and seed write the same bytes; every engine.
        QTemporaryDir first, second, subset;
        const QStringList options = {"--accents", "en-US", "--variants", "default,f3", "--flite-voices", "slt",
                                     "--classic-accents", "en-sc", "--classic-variants", "default",
                                     "--festival-voices", "czech_ph", "--festival-renditions", "1",
                                     "--flite-renditions", "1", "--espeak-renditions", "1", "--classic-renditions", "1",
                                     "--validation-fraction", "0", "--test-fraction", "0", "--flite-test", "0",
                                     "--festival-test", "0", "--festival-validation", "0", "--babble-sentences", "3"};
        for (const QTemporaryDir* dir : {&first, &second}) {
            QProcess tool;
            tool.start(QStringLiteral(S4SCOPE_DATASET_TOOL), QStringList{"--out", dir->path()} + options);
            QVERIFY(tool.waitForFinished(120000));
            QVERIFY2(tool.exitCode() == 0, tool.readAllStandardError().constData());
            QVERIFY(tool.readAllStandardOutput().contains("train: 50 clips"));
        }
        const auto a = readManifest(first.filePath("manifest.csv").toStdString());
        QCOMPARE(a.size(), size_t(50));
        std::set<std::string> engines;
        for (const auto& e : a) engines.insert(e.engine);
        QCOMPARE(engines, (std::set<std::string>{"espeak", "espeak-ng", "festival", "flite"}));
        QCOMPARE(fileBytes(second.filePath("manifest.csv")), fileBytes(first.filePath("manifest.csv")));
        for (const auto& e : a) {
            QCOMPARE(fileBytes(second.filePath(QString::fromStdString(e.path))),
                     fileBytes(first.filePath(QString::fromStdString(e.path))));
            QVERIFY2(e.length > 1600 && e.length < 16000, e.path.c_str());  // a word, not silence or a cut
        }
        for (int i = 0; i < 3; ++i)
            QCOMPARE(fileBytes(second.filePath(QString("babble/%1.wav").arg(i, 3, 10, QChar('0')))),
                     fileBytes(first.filePath(QString("babble/%1.wav").arg(i, 3, 10, QChar('0')))));

        // A subset picks the same clips (voice, word, rate, pitch, file) as the full build.
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
        o = tinyDataset(dir.path());
        o.festivalVoices = {"no_such_voice"};
        QVERIFY_THROWS_EXCEPTION(Error, buildDataset(o, nullptr));
        o = tinyDataset(dir.path());
        o.classicAccents = {"en-xx"};
        QVERIFY_THROWS_EXCEPTION(Error, buildDataset(o, nullptr));
        o = tinyDataset("/proc/s4scope-unwritable");
        try {
            buildDataset(o, nullptr);
            QFAIL("an unwritable folder was accepted");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("/proc/s4scope-unwritable"), e.what());
        }
    }

    // VTLP: every formant moves by the factor, the pitch does not.
    void vtlpMovesFormantsByTheFactor() {
        const std::vector<double> formants = {600, 1400, 2500};
        const auto x = vowel(formants, 120, 0.6);
        const auto before = measuredFormants(x);
        for (double f : formants) QVERIFY(std::abs(nearest(before, f) - f) < 0.05 * f);
        for (double factor : {0.87, 1.13}) {
            const auto y = warpFormants(x, 16000, factor);
            QCOMPARE(y.size(), x.size());
            QVERIFY(allFinite(y));
            const auto after = measuredFormants(y);
            for (double nominal : formants) {
                const double f = nearest(before, nominal);  // as measured before the warp
                const double moved = nearest(after, f * factor);
                qInfo("VTLP %.2f: formant %.0f Hz -> %.0f Hz (expected %.0f)", factor, f, moved, f * factor);
                QVERIFY2(std::abs(moved - f * factor) < 0.05 * f * factor, "a formant did not move by the factor");
            }
            qInfo("VTLP %.2f: f0 %.1f Hz (120 before)", factor, measuredF0(y));
            QVERIFY(std::abs(measuredF0(y) - 120) < 4);
        }
    }

    // Pitch and tempo, each without the other.
    void pitchAndTempoChangeIndependently() {
        const std::vector<double> formants = {600, 1400, 2500};
        const auto x = vowel(formants, 120, 0.8);
        const auto higher = shiftPitchAndFormants(x, 16000, std::pow(2.0, 3.0 / 12), 1.0);
        QCOMPARE(higher.size(), x.size());
        QVERIFY(allFinite(higher));
        qInfo("pitch +3 semitones: f0 %.1f Hz (expected %.1f)", measuredF0(higher), 120 * std::pow(2.0, 3.0 / 12));
        QVERIFY(std::abs(measuredF0(higher) - 120 * std::pow(2.0, 3.0 / 12)) < 0.03 * 143);
        const auto kept = measuredFormants(higher);
        for (double f : {600.0, 1400.0}) QVERIFY2(std::abs(nearest(kept, f) - f) < 0.08 * f, "formants moved with the pitch");

        const auto faster = changeTempo(x, 1.25);
        QCOMPARE(faster.size(), size_t(std::lround(x.size() / 1.25)));
        QVERIFY(allFinite(faster));
        QVERIFY(std::abs(measuredF0(faster) - 120) < 4);
        const auto slower = changeTempo(x, 0.8);
        QCOMPARE(slower.size(), size_t(std::lround(x.size() / 0.8)));
        QVERIFY(std::abs(measuredF0(slower) - 120) < 4);
    }

    void reverberationDecaysAtRt60() {
        for (double rt60 : {0.2, 0.5, 0.8}) {
            Rng rng(7);
            const auto h = roomImpulse(rt60, 0.0, 16000, rng);
            std::vector<float> burst(40000, 0.f);
            Rng noise(3);
            for (size_t i = 0; i < 1600; ++i) burst[i] = float(0.3 * noise.normal());
            const auto y = reverberate(burst, h);
            QCOMPARE(y.size(), burst.size());
            QVERIFY(allFinite(y));
            const double measured = measureRt60(y, 1600, 16000);
            qInfo("RT60 %.2f s: measured %.3f s", rt60, measured);
            QVERIFY2(std::abs(measured - rt60) < 0.2 * rt60, "the energy decay does not match RT60");
        }
    }

    void noiseIsMixedAtTheAskedSnr() {
        NoisePools pools;
        pools.babble = {vowel({500, 1500}, 110, 0.7), vowel({700, 1100}, 180, 1.3), vowel({300, 2300}, 140, 0.9)};
        pools.files = {vowel({900}, 60, 2.0)};
        const auto word = vowel({600, 1400, 2500}, 120, 0.5);
        for (NoiseKind kind : {NoiseKind::White, NoiseKind::Pink, NoiseKind::Brown, NoiseKind::Hum, NoiseKind::Babble,
                               NoiseKind::File})
            for (double snr : {0.0, 10.0, 30.0}) {
                Rng rng(11);
                std::vector<float> clip(16000, 0.f);
                std::copy(word.begin(), word.end(), clip.begin() + 4000);
                const auto clean = clip;
                const auto noise = makeNoise(kind, 16000, 16000, rng, pools);
                QVERIFY(allFinite(noise));
                QVERIFY(std::abs(power(noise, 0, noise.size()) - 1) < 1e-3);
                addNoiseAtSnr(clip, 4000, 4000 + int64_t(word.size()), noise, snr);
                std::vector<float> added(clip.size());
                for (size_t i = 0; i < clip.size(); ++i) added[i] = clip[i] - clean[i];
                const double measured =
                    10 * std::log10(power(clean, 4000, 4000 + word.size()) / power(added, 0, added.size()));
                QVERIFY2(std::abs(measured - snr) < 0.5,
                         qPrintable(QString("%1 noise at %2 dB measured %3 dB").arg(noiseName(kind)).arg(snr).arg(measured)));
            }
    }

    // Every augmentation alone and all together: the clip length is kept, samples are finite and
    // in range, and the clip changes.
    void augmentationKeepsLengthAndFiniteness() {
        NoisePools pools;
        pools.babble = {vowel({500, 1500}, 110, 0.7)};
        const auto word = vowel({600, 1400, 2500}, 120, 0.5);
        AugmentOptions none;
        none.vtlpProbability = none.pitchProbability = none.tempoProbability = none.reverbProbability = 0;
        none.colourProbability = none.noiseProbability = none.clipProbability = 0;
        std::vector<AugmentOptions> each(8, none);
        each[0].vtlpProbability = 1;
        each[1].pitchProbability = 1;
        each[2].tempoProbability = 1;
        each[3].reverbProbability = 1;
        each[4].colourProbability = 1;
        each[5].noiseProbability = 1;
        each[6].clipProbability = 1;
        each[7] = AugmentOptions{};
        for (size_t k = 0; k < each.size(); ++k)
            for (uint64_t seed = 1; seed <= 5; ++seed) {
                const auto clip = augmentWord(word, 16000, each[k], pools, seed);
                QCOMPARE(clip.size(), size_t(16000));
                QVERIFY(allFinite(clip));
                QVERIFY(std::all_of(clip.begin(), clip.end(), [](float s) { return std::abs(s) <= 1.f; }));
                QVERIFY(power(clip, 0, clip.size()) > 0);
                QCOMPARE(augmentWord(word, 16000, each[k], pools, seed), clip);  // the seed decides everything
            }
        // Colouring changes the spectrum but not the length.
        auto coloured = word;
        Rng rng(2);
        colourChannel(coloured, 16000, rng);
        QCOMPARE(coloured.size(), word.size());
        QVERIFY(allFinite(coloured) && coloured != word);
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

    // `s4scope-train --speech-commands DIR` on Speech Commands' own layout, written here.
    void speechCommandsTrainsIntoALoadablePair() {
        QTemporaryDir dir;
        const QString root = dir.filePath("speech_commands_v0.02");
        writeMiniSpeechCommands(root);

        const auto data = readSpeechCommands(root.toStdString(), keywordList());
        QCOMPARE(data.entries.size(), size_t(30));
        std::map<std::string, std::set<std::string>> speakersOf;
        for (const auto& e : data.entries) speakersOf[e.split].insert(e.accent);
        QCOMPARE(speakersOf["train"], (std::set<std::string>{"0a7c2a8d"}));
        QCOMPARE(speakersOf["validation"], (std::set<std::string>{"1b2c3d4e"}));
        QCOMPARE(speakersOf["test"], (std::set<std::string>{"9f8e7d6c"}));
        QCOMPARE(data.noiseFiles.size(), size_t(1));
        QCOMPARE(data.otherSpeech.size(), size_t(1));

        QProcess tool;
        const QString weights = dir.filePath("run/sc_model.pt");
        tool.start(QStringLiteral(S4SCOPE_TRAIN_TOOL),
                   {"--speech-commands", root, "--out", dir.filePath("run"), "--weights", weights, "--epochs", "2",
                    "--batch-size", "4", "--max-steps-per-epoch", "2", "--threads", "1", "--log-every", "0"});
        QVERIFY(tool.waitForFinished(300000));
        const QByteArray out = tool.readAllStandardOutput();
        QVERIFY2(tool.exitCode() == 0, tool.readAllStandardError().constData());
        QVERIFY(out.contains("Google Speech Commands"));
        const Model model = Model::load(weights.toStdString());
        QCOMPARE(model.config().n_classes, int64_t(10));
        QVERIFY(QFile::exists(dir.filePath("run/sc_model_config.json")));
        const QByteArray report = fileBytes(dir.filePath("run/report.md"));
        QVERIFY(report.contains("speech-commands | 9f8e7d6c"));  // the held-out test speaker, by name
        QVERIFY(report.contains("babble"));

        // A damaged copy is named.
        QFile::remove(root + "/testing_list.txt");
        try {
            readSpeechCommands(root.toStdString(), keywordList());
            QFAIL("a folder without testing_list.txt was accepted");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("testing_list.txt"), e.what());
        }
        writeText(root + "/testing_list.txt", "go/ffffffff_nohash_0.wav\n");
        QVERIFY_THROWS_EXCEPTION(Error, readSpeechCommands(root.toStdString(), keywordList()));
    }
};

QTEST_GUILESS_MAIN(TestTrainingSmoke)
#include "test_training_smoke.moc"
