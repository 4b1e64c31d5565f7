// The live stream's rolling window: mixing, streaming resampling, ordering, levels, and the
// energy gate that tells speech from silence.
#include <QtTest>

#include <cmath>

#include "s4scope/error.h"
#include "s4scope/rolling_window.h"

using namespace s4scope;

namespace {

// Interleaved stereo: a sine on the left, its negative half-amplitude copy on the right.
std::vector<float> stereoSine(int rate, double seconds, double freq, double amplitude, int64_t startFrame = 0) {
    const auto frames = static_cast<size_t>(rate * seconds);
    std::vector<float> x(2 * frames);
    for (size_t f = 0; f < frames; ++f) {
        const double v = amplitude * std::sin(2 * M_PI * freq * double(f + startFrame) / rate);
        x[2 * f] = float(v);
        x[2 * f + 1] = float(-0.5 * v);
    }
    return x;
}

int zeroCrossings(const std::vector<float>& x, size_t from, size_t to) {
    int n = 0;
    for (size_t i = from + 1; i < to; ++i) n += (x[i - 1] < 0) != (x[i] < 0);
    return n;
}

}  // namespace

class TestRollingWindow : public QObject {
    Q_OBJECT
private slots:
    void keepsTheNewestSecondInOrder() {
        RollingWindow w(1000, 16000);
        QCOMPARE(w.window(), std::vector<float>(1000, 0.f));
        std::vector<float> ramp(1500);
        for (size_t i = 0; i < ramp.size(); ++i) ramp[i] = float(i);
        w.push(ramp.data(), 300, 1, 16000);  // partly filled: zeros first
        auto v = w.window();
        QCOMPARE(v[699], 0.f);
        QCOMPARE(v[700], 0.f);
        QCOMPARE(v[999], 299.f);
        w.push(ramp.data() + 300, 1200, 1, 16000);
        v = w.window();
        for (size_t i = 0; i < 1000; ++i) QCOMPARE(v[i], float(500 + i));
        QCOMPARE(w.receivedSamples(), int64_t(1500));
    }

    void mixesAndResamplesNativeStreams() {
        RollingWindow w(16000, 16000);
        const int rate = 44100;
        const auto audio = stereoSine(rate, 1.5, 440, 0.8);
        for (size_t f = 0; f < audio.size() / 2; f += 441)  // 10 ms chunks, as a device delivers them
            w.push(audio.data() + 2 * f, std::min<size_t>(441, audio.size() / 2 - f), 2, rate);
        // 1.5 s at 16 kHz, less the resampler's delay: under 15 ms.
        QVERIFY2(std::abs(w.receivedSamples() - 24000) < 240, qPrintable(QString::number(w.receivedSamples())));
        const auto v = w.window();
        // Mono mix = 0.8 * (1 - 0.5) / 2 = 0.2 amplitude; RMS 0.2 / sqrt 2.
        double sum = 0;
        for (float s : v) sum += double(s) * s;
        const double rms = std::sqrt(sum / v.size());
        QVERIFY2(std::abs(rms - 0.2 / std::sqrt(2.0)) < 0.02 * 0.2 / std::sqrt(2.0), qPrintable(QString::number(rms)));
        // 440 Hz survives: 880 zero crossings per second.
        QVERIFY(std::abs(zeroCrossings(v, 0, v.size()) - 880) <= 2);
        QVERIFY(std::abs(w.levelDb(1600) - 20 * std::log10(0.2 / std::sqrt(2.0))) < 0.3);
    }

    void sampleRateChangeRestartsTheResampler() {
        RollingWindow w(16000, 16000);
        const auto a = stereoSine(48000, 0.5, 300, 0.5), b = stereoSine(22050, 0.5, 300, 0.5);
        w.push(a.data(), a.size() / 2, 2, 48000);
        const int64_t before = w.receivedSamples();
        w.push(b.data(), b.size() / 2, 2, 22050);
        QVERIFY(w.receivedSamples() - before > 7000);
    }

    void gateSeparatesSpeechFromSilence() {
        RollingWindow w(16000, 16000);
        VoiceActivityGate gate(-45.0, 100.0, 300.0);
        std::vector<float> silence(1600, 0.f), tone(1600);
        for (size_t i = 0; i < tone.size(); ++i) tone[i] = 0.1f * std::sin(0.2f * i);  // about -23 dBFS
        w.push(silence.data(), silence.size(), 1, 16000);
        QVERIFY(!gate.update(w, w.receivedSamples()));
        QCOMPARE(gate.lastLevelDb(), -120.0);
        w.push(tone.data(), tone.size(), 1, 16000);
        QVERIFY(gate.update(w, w.receivedSamples()));
        w.push(silence.data(), silence.size(), 1, 16000);  // 100 ms later: still held
        QVERIFY(gate.update(w, w.receivedSamples()));
        for (int i = 0; i < 3; ++i) w.push(silence.data(), silence.size(), 1, 16000);
        QVERIFY(!gate.update(w, w.receivedSamples()));  // 400 ms of silence: released
        gate.setThresholdDb(-10.0);  // a louder threshold ignores the tone
        w.push(tone.data(), tone.size(), 1, 16000);
        QVERIFY(!gate.update(w, w.receivedSamples()));
    }

    void badFormatsAreErrors() {
        RollingWindow w;
        float x[4] = {0, 0, 0, 0};
        QVERIFY_THROWS_EXCEPTION(Error, w.push(x, 2, 0, 16000));
        QVERIFY_THROWS_EXCEPTION(Error, w.push(x, 2, 2, 0));
        QVERIFY_THROWS_EXCEPTION(Error, RollingWindow(0, 16000));
    }
};

QTEST_GUILESS_MAIN(TestRollingWindow)
#include "test_rolling_window.moc"
