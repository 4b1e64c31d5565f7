// Audio IO: formats, mono mix, resampling, offsets, padding and every failure the loader reports.
// Fixtures are written with libsndfile at test time, so the suite needs no external tools.
#include "s4scope/audio_io.h"
#include "s4scope/error.h"

#include <sndfile.h>

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <random>
#include <vector>

using s4scope::Audio;
using s4scope::AudioLoadOptions;

namespace {

constexpr double kPi = 3.14159265358979323846;

std::vector<float> sine(double freq, double amplitude, int rate, int64_t n, int64_t phaseOffset = 0) {
    std::vector<float> out(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i)
        out[size_t(i)] = float(amplitude * std::sin(2.0 * kPi * freq * double(i + phaseOffset) / rate));
    return out;
}

double rms(const std::vector<float>& x, size_t begin, size_t end) {
    double sum = 0.0;
    for (size_t i = begin; i < end; ++i) sum += double(x[i]) * x[i];
    return std::sqrt(sum / double(end - begin));
}

// Frequency from sign changes over [begin, end): robust to the encoder delay of lossy codecs.
double zeroCrossingFrequency(const std::vector<float>& x, size_t begin, size_t end, int rate) {
    int crossings = 0;
    for (size_t i = begin + 1; i < end; ++i)
        if ((x[i - 1] < 0.0f) != (x[i] < 0.0f)) ++crossings;
    return crossings / 2.0 / (double(end - begin) / rate);
}

double maxAbsDiff(const std::vector<float>& a, const std::vector<float>& b, size_t begin, size_t end) {
    double worst = 0.0;
    for (size_t i = begin; i < end; ++i) worst = std::max(worst, std::abs(double(a[i]) - b[i]));
    return worst;
}

// Writes interleaved frames; returns libsndfile's complaint, or an empty string on success.
QString writeFixture(const QString& path, int format, int rate, int channels, const std::vector<float>& interleaved) {
    SF_INFO info{};
    info.samplerate = rate;
    info.channels = channels;
    info.format = format;
    if (!sf_format_check(&info)) return QStringLiteral("sf_format_check rejects format 0x%1").arg(format, 0, 16);
    SNDFILE* f = sf_open(path.toLocal8Bit().constData(), SFM_WRITE, &info);
    if (!f) return QString::fromLocal8Bit(sf_strerror(nullptr));
    const sf_count_t frames = sf_count_t(interleaved.size()) / channels;
    const sf_count_t written = frames > 0 ? sf_writef_float(f, interleaved.data(), frames) : 0;
    const QString err = written == frames ? QString() : QString::fromLocal8Bit(sf_strerror(f));
    const int closeErr = sf_close(f);
    if (!err.isEmpty()) return err;
    if (closeErr) return QString::fromLocal8Bit(sf_error_number(closeErr));
    return {};
}

// Peak resident memory of this process (VmHWM), in bytes; 0 when /proc does not tell.
int64_t peakResidentBytes() {
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly)) return 0;
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith("VmHWM:")) return line.mid(6).trimmed().split(' ').front().toLongLong() * 1024;
    return 0;
}

// Resets VmHWM to the current resident size (Linux >= 4.0), so the next peak is the next step's.
bool resetPeakResident() {
    QFile clear(QStringLiteral("/proc/self/clear_refs"));
    return clear.open(QIODevice::WriteOnly) && clear.write("5") == 1;
}

// Runs fn and returns the s4scope::Error message, or a null QString if nothing was thrown.
QString errorOf(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const s4scope::Error& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

}  // namespace

class TestAudioIo : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString path(const QString& name) const { return dir_.filePath(name); }

    // Loads a lossy mono 1 s sine and checks level and pitch survived the codec.
    void checkLossySine(const QString& file, double freq, double amplitude) {
        const Audio a = s4scope::loadAudio(file.toStdString());
        QCOMPARE(a.samples.size(), size_t(16000));
        QCOMPARE(a.sampleRate, 16000);
        QCOMPARE(a.sourceChannels, 1);
        // Interior only: codecs add delay and fade at the edges.
        const double level = rms(a.samples, 3000, 13000);
        QVERIFY2(std::abs(level - amplitude / std::sqrt(2.0)) < 0.05 * amplitude,
                 qPrintable(QStringLiteral("rms %1").arg(level)));
        const double f = zeroCrossingFrequency(a.samples, 3000, 13000, 16000);
        QVERIFY2(std::abs(f - freq) < 0.02 * freq, qPrintable(QStringLiteral("frequency %1").arg(f)));
    }

private slots:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    void stereoFlacIsMixedAndResampled() {
        // 1.5 s of 440 Hz at 44.1 kHz, amplitude 0.8 left and 0.2 right: the mono mean is 0.5.
        const int rate = 44100;
        const int64_t frames = rate * 3 / 2;
        const std::vector<float> left = sine(440, 0.8, rate, frames), right = sine(440, 0.2, rate, frames);
        std::vector<float> stereo;
        for (int64_t i = 0; i < frames; ++i) {
            stereo.push_back(left[size_t(i)]);
            stereo.push_back(right[size_t(i)]);
        }
        const QString file = path("stereo.flac");
        QCOMPARE(writeFixture(file, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, rate, 2, stereo), QString());

        const Audio a = s4scope::loadAudio(file.toStdString());
        QCOMPARE(a.samples.size(), size_t(16000));
        QCOMPARE(a.sampleRate, 16000);
        QCOMPARE(a.sourceSampleRate, rate);
        QCOMPARE(a.sourceChannels, 2);
        QCOMPARE(a.sourceFrames, frames);

        const std::vector<float> expected = sine(440, 0.5, 16000, 16000);
        const double level = rms(a.samples, 0, a.samples.size());
        const double expectedLevel = rms(expected, 0, expected.size());
        QVERIFY2(std::abs(level / expectedLevel - 1.0) < 0.02, qPrintable(QStringLiteral("rms %1").arg(level)));
        // Same phase, same pitch: sample by sample equal away from the start transient.
        const double diff = maxAbsDiff(a.samples, expected, 64, 16000);
        QVERIFY2(diff < 0.005, qPrintable(QStringLiteral("max |diff| %1").arg(diff)));
        QVERIFY(std::abs(zeroCrossingFrequency(a.samples, 0, 16000, 16000) - 440.0) < 2.0);

        // length <= 0 keeps the whole file: 1.5 s at 16 kHz.
        AudioLoadOptions all;
        all.length = 0;
        QCOMPARE(s4scope::loadAudio(file.toStdString(), all).samples.size(), size_t(24000));
    }

    void shortWavIsUpsampledAndPadded() {
        // 0.5 s at 8 kHz becomes 8000 samples at 16 kHz followed by exact zeros.
        const QString file = path("short8k.wav");
        QCOMPARE(writeFixture(file, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 8000, 1, sine(1000, 0.5, 8000, 4000)), QString());
        const Audio a = s4scope::loadAudio(file.toStdString());
        QCOMPARE(a.samples.size(), size_t(16000));
        QCOMPARE(a.sourceSampleRate, 8000);
        QCOMPARE(a.sourceFrames, int64_t(4000));
        for (size_t i = 8000; i < 16000; ++i)
            QVERIFY2(a.samples[i] == 0.0f, qPrintable(QStringLiteral("sample %1 not padded").arg(i)));
        const std::vector<float> expected = sine(1000, 0.5, 16000, 16000);
        const double diff = maxAbsDiff(a.samples, expected, 200, 7800);
        QVERIFY2(diff < 0.005, qPrintable(QStringLiteral("max |diff| %1").arg(diff)));
    }

    void oggLoads() {
        const QString file = path("tone.ogg");
        QCOMPARE(writeFixture(file, SF_FORMAT_OGG | SF_FORMAT_VORBIS, 44100, 1, sine(440, 0.5, 44100, 44100)),
                 QString());
        checkLossySine(file, 440, 0.5);
    }

    void mp3Loads() {
        const QString file = path("tone.mp3");
        const QString err = writeFixture(file, SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III, 44100, 1,
                                         sine(440, 0.5, 44100, 44100));
        if (!err.isEmpty())
            QSKIP(qPrintable(QStringLiteral("this libsndfile cannot write MP3: %1").arg(err)));
        checkLossySine(file, 440, 0.5);
    }

    void startOffsetSelectsTheRightSecond() {
        // Three seconds at 16 kHz, each its own pitch: 300, 600, 900 Hz.
        std::vector<float> content;
        std::vector<std::vector<float>> seconds;
        for (int s = 0; s < 3; ++s) {
            seconds.push_back(sine(300.0 * (s + 1), 0.5, 16000, 16000));
            content.insert(content.end(), seconds.back().begin(), seconds.back().end());
        }
        const QString file = path("three.wav");
        QCOMPARE(writeFixture(file, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 16000, 1, content), QString());

        AudioLoadOptions opts;
        opts.startSeconds = 1.0;
        const Audio a = s4scope::loadAudio(file.toStdString(), opts);
        QCOMPARE(a.sourceFrames, int64_t(48000));
        QVERIFY(a.samples == seconds[1]);  // same rate, float file: bit-exact

        // Past 2.5 s only half a second remains: the rest is padding.
        opts.startSeconds = 2.5;
        const Audio tail = s4scope::loadAudio(file.toStdString(), opts);
        QVERIFY(std::equal(tail.samples.begin(), tail.samples.begin() + 8000, seconds[2].begin() + 8000));
        QVERIFY(std::all_of(tail.samples.begin() + 8000, tail.samples.end(), [](float v) { return v == 0.0f; }));

        // The offset is in the file's time, before resampling: the same content at 48 kHz.
        std::vector<float> content48;
        for (int s = 0; s < 3; ++s) {
            const std::vector<float> part = sine(300.0 * (s + 1), 0.5, 48000, 48000);
            content48.insert(content48.end(), part.begin(), part.end());
        }
        const QString file48 = path("three48k.wav");
        QCOMPARE(writeFixture(file48, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 48000, 1, content48), QString());
        opts.startSeconds = 1.0;
        const Audio b = s4scope::loadAudio(file48.toStdString(), opts);
        QCOMPARE(b.samples.size(), size_t(16000));
        const double diff = maxAbsDiff(b.samples, seconds[1], 64, 15936);
        QVERIFY2(diff < 0.005, qPrintable(QStringLiteral("max |diff| %1").arg(diff)));
    }

    void badOffsetsAreErrors() {
        const QString file = path("one.wav");
        QCOMPARE(writeFixture(file, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 16000, 1, sine(440, 0.5, 16000, 16000)),
                 QString());
        for (double start : {1.0, 5.0, 1e300}) {
            AudioLoadOptions opts;
            opts.startSeconds = start;
            const QString msg = errorOf([&] { s4scope::loadAudio(file.toStdString(), opts); });
            QVERIFY2(msg.contains(file) && msg.contains("beyond the end"), qPrintable(msg));
        }
        for (double start : {-0.5, std::numeric_limits<double>::quiet_NaN()}) {
            AudioLoadOptions opts;
            opts.startSeconds = start;
            const QString msg = errorOf([&] { s4scope::loadAudio(file.toStdString(), opts); });
            QVERIFY2(msg.contains(file) && msg.contains("start offset"), qPrintable(msg));
        }
    }

    void brokenFilesAreErrors_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("keyword");
        QTest::newRow("missing") << "missing.wav" << "does not exist";
        QTest::newRow("zero frames") << "empty.wav" << "no audio";
        QTest::newRow("zero bytes") << "zero_bytes.wav" << "no audio";
        QTest::newRow("text renamed") << "text.wav" << "not a supported audio file";
        QTest::newRow("NaN samples") << "nan.wav" << "NaN";
        QTest::newRow("infinite samples") << "inf.wav" << "non-finite";
        QTest::newRow("absurd rate") << "rate100.wav" << "sample rate";
        QTest::newRow("directory") << "adir.wav" << "directory";
    }

    void brokenFilesAreErrors() {
        QFETCH(QString, name);
        QFETCH(QString, keyword);
        const QString file = path(name);
        if (name == "empty.wav") {
            QCOMPARE(writeFixture(file, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 16000, 1, {}), QString());
        } else if (name == "zero_bytes.wav" || name == "text.wav") {
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly));
            if (name == "text.wav") f.write("This is plain text, not audio.\nIt only has a .wav name.\n");
        } else if (name == "nan.wav" || name == "inf.wav") {
            std::vector<float> data = sine(440, 0.5, 16000, 16000);
            data[1234] = name == "nan.wav" ? std::numeric_limits<float>::quiet_NaN()
                                           : -std::numeric_limits<float>::infinity();
            QCOMPARE(writeFixture(file, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 16000, 1, data), QString());
        } else if (name == "rate100.wav") {
            QCOMPARE(writeFixture(file, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 100, 1, sine(10, 0.5, 100, 100)), QString());
        } else if (name == "adir.wav") {
            QVERIFY(QDir(dir_.path()).mkdir(name));
        }
        const QString msg = errorOf([&] { s4scope::loadAudio(file.toStdString()); });
        QVERIFY2(!msg.isNull(), "no s4scope::Error thrown");
        QVERIFY2(msg.contains(file), qPrintable(msg));
        QVERIFY2(msg.contains(keyword, Qt::CaseInsensitive), qPrintable(msg));
    }

    void writeWavRoundTripIsExact() {
        std::mt19937 rng(7);
        std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
        std::vector<float> samples(16000);
        for (float& v : samples) v = dist(rng);
        // Values a lossy path would disturb: extremes, signed zero, tiny and subnormal numbers.
        samples[0] = 1.0f;
        samples[1] = -1.0f;
        samples[2] = -0.0f;
        samples[3] = 1e-30f;
        samples[4] = std::numeric_limits<float>::denorm_min();
        const QString file = path("roundtrip.wav");
        s4scope::writeWav(file.toStdString(), samples, 16000);
        const Audio a = s4scope::loadAudio(file.toStdString());
        QCOMPARE(a.sampleRate, 16000);
        QCOMPARE(a.sourceSampleRate, 16000);
        QCOMPARE(a.sourceChannels, 1);
        QCOMPARE(a.samples.size(), samples.size());
        QVERIFY(std::memcmp(a.samples.data(), samples.data(), samples.size() * sizeof(float)) == 0);
    }

    void writeWavRefusesBadInput() {
        const QString file = path("bad_out.wav");
        const std::vector<float> ok(100, 0.25f);
        QString msg = errorOf([&] { s4scope::writeWav(file.toStdString(), ok, 0); });
        QVERIFY2(msg.contains(file) && msg.contains("sample rate"), qPrintable(msg));
        std::vector<float> nan = ok;
        nan[50] = std::numeric_limits<float>::quiet_NaN();
        msg = errorOf([&] { s4scope::writeWav(file.toStdString(), nan, 16000); });
        QVERIFY2(msg.contains(file) && msg.contains("non-finite"), qPrintable(msg));
        QVERIFY(!QFile::exists(file));
        const QString unwritable = path("no/such/dir/out.wav");
        msg = errorOf([&] { s4scope::writeWav(unwritable.toStdString(), ok, 16000); });
        QVERIFY2(msg.contains(unwritable), qPrintable(msg));
    }

    // A whole file is decoded and resampled chunk by chunk: the same samples as resampling all of
    // it at once (libsoxr's filter does not depend on how its input is cut).
    void streamedDecodeEqualsOneShotResampling() {
        const QString file = path("long-44k.wav");
        std::vector<float> stereo;
        const auto left = sine(440, 0.4, 44100, 44100 * 7 + 123), right = sine(1330, 0.3, 44100, 44100 * 7 + 123);
        for (size_t i = 0; i < left.size(); ++i) stereo.insert(stereo.end(), {left[i], right[i]});
        QCOMPARE(writeFixture(file, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 44100, 2, stereo), QString());
        AudioLoadOptions whole;
        whole.length = 0;
        const Audio a = s4scope::loadAudio(file.toStdString(), whole);
        std::vector<float> mono(left.size());
        for (size_t i = 0; i < mono.size(); ++i) mono[i] = float((double(left[i]) + right[i]) / 2);
        const auto expected = s4scope::resample(mono, 44100, 16000);
        QCOMPARE(a.samples.size(), expected.size());
        QVERIFY2(maxAbsDiff(a.samples, expected, 0, expected.size()) < 1e-6,
                 qPrintable(QString::number(maxAbsDiff(a.samples, expected, 0, expected.size()))));
        // A second cut from the middle agrees with the whole file's samples there (away from the
        // cut's edges, where the resampler's filter sees the file's neighbours or nothing).
        AudioLoadOptions second;
        second.startSeconds = 3.0;
        const Audio cut = s4scope::loadAudio(file.toStdString(), second);
        const std::vector<float> inWhole(a.samples.begin() + 48000, a.samples.begin() + 64000);
        QVERIFY(maxAbsDiff(cut.samples, inWhole, 200, 15800) < 1e-4);
    }

    // Opening a long file holds its mono copy at the output rate and little more: a 10-minute
    // 44.1 kHz file read at 16 kHz peaks at about 38 MB (600 s x 16000 x 4 bytes), not the 106 MB
    // of its samples at the file's rate plus those 38 MB that decoding it whole took.
    void longFilePeakMemoryIsTheOutputCopy() {
        const QString file = path("ten-minutes.wav");
        {
            SF_INFO info{};
            info.samplerate = 44100;
            info.channels = 1;
            info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
            SNDFILE* f = sf_open(file.toLocal8Bit().constData(), SFM_WRITE, &info);
            QVERIFY(f);
            const auto block = sine(220, 0.3, 44100, 44100);
            for (int second = 0; second < 600; ++second) QCOMPARE(sf_writef_float(f, block.data(), 44100), sf_count_t(44100));
            sf_close(f);
        }
        if (!resetPeakResident() || peakResidentBytes() == 0) QSKIP("no /proc/self/clear_refs or VmHWM to measure with");
        const int64_t before = peakResidentBytes();
        AudioLoadOptions whole;
        whole.length = 0;
        const Audio a = s4scope::loadAudio(file.toStdString(), whole);
        const int64_t grown = peakResidentBytes() - before;
        const int64_t output = int64_t(a.samples.size() * sizeof(float));
        QCOMPARE(int64_t(a.samples.size()), int64_t(600) * 16000);
        qInfo("10-minute 44.1 kHz file: output %.1f MB, peak resident memory grew by %.1f MB", output / 1e6, grown / 1e6);
        QVERIFY2(grown < output + output / 4 + 8'000'000, qPrintable(QString("peak grew by %1 MB").arg(grown / 1e6)));
    }

    void resampleLengthsAndIdentity() {
        const std::vector<float> x = sine(440, 0.5, 44100, 1001);
        QVERIFY(s4scope::resample(x, 44100, 44100) == x);
        QVERIFY(s4scope::resample({}, 44100, 16000).empty());
        struct Case { int n, from, to; };
        for (const Case c : {Case{1001, 44100, 16000}, Case{66150, 44100, 16000}, Case{4000, 8000, 16000},
                             Case{777, 22050, 16000}, Case{3, 48000, 16000}}) {
            const auto y = s4scope::resample(std::vector<float>(size_t(c.n), 0.1f), c.from, c.to);
            QCOMPARE(int64_t(y.size()), int64_t(std::llround(double(c.n) * c.to / c.from)));
        }
        QVERIFY(!errorOf([] { s4scope::resample({0.0f}, 0, 16000); }).isNull());
        QVERIFY(!errorOf([] { s4scope::resample({0.0f}, 16000, -1); }).isNull());
    }
};

QTEST_MAIN(TestAudioIo)
#include "test_audio_io.moc"
