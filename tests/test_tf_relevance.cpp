// Time–frequency relevance and listening masks (src/signal/tf_relevance, listening; DESIGN.md §8):
// the ε-rule through the tight-frame STFT against an explicit inverse-STFT matrix, what is conserved
// and what is lost at zero samples, the profiles, the masks and the masked resynthesis, and a
// constructed model whose evidence lies in one band. No Qt outside the test harness.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <complex>
#include <numeric>
#include <stdexcept>

#include "signal/listening.h"
#include "signal/stft.h"
#include "signal/tf_relevance.h"

using namespace s4scope::signal;

namespace {

constexpr double kPi = 3.14159265358979323846;

std::vector<double> noise(size_t n, uint32_t seed) {
    std::vector<double> v(n);
    for (double& x : v) {
        seed = seed * 1664525u + 1013904223u;
        x = double(seed >> 8) / double(1 << 23) - 1.0;
    }
    return v;
}

std::vector<float> toFloat(const std::vector<double>& v) { return std::vector<float>(v.begin(), v.end()); }

double maxAbs(const std::vector<double>& v) {
    double m = 0;
    for (double x : v) m = std::max(m, std::abs(x));
    return m;
}

// Tones at the given frequencies plus a little noise, `n` samples at 16 kHz.
std::vector<float> tones(const std::vector<double>& hz, size_t n, uint32_t seed = 3) {
    const auto hiss = noise(n, seed);
    std::vector<float> x(n);
    for (size_t i = 0; i < n; ++i) {
        double s = 0.01 * hiss[i];
        for (double f : hz) s += 0.3 * std::sin(2 * kPi * f * double(i) / 16000 + f);
        x[i] = float(s);
    }
    return x;
}

// The inverse STFT as an explicit matrix: column (2·k) is inverse() of the unit real coefficient k,
// column (2·k + 1) of the unit imaginary one (frame-major k = frame * bins + bin). Built from
// inverse() one coefficient at a time, it does not share the adjoint path contributions() takes.
std::vector<std::vector<double>> inverseMatrix(const Stft& stft, size_t length) {
    StftCoefficients unit;
    unit.frames = stft.grid(length).frames;
    unit.bins = stft.bins();
    unit.length = length;
    unit.values.assign(size_t(unit.frames) * size_t(unit.bins), 0.0);
    std::vector<std::vector<double>> columns;
    for (size_t k = 0; k < unit.values.size(); ++k)
        for (const std::complex<double> e : {std::complex<double>(1, 0), std::complex<double>(0, 1)}) {
            unit.values[k] = e;
            columns.push_back(stft.inverse(unit));
            unit.values[k] = 0;
        }
    return columns;
}

// R[f,t] = Σₙ c[n,(f,t)] R[n] / stab(x[n]) with c[n,(f,t)] = S_re[n] Re X[f,t] + S_im[n] Im X[f,t].
std::vector<double> directTfRelevance(const Stft& stft, const std::vector<float>& x, const std::vector<float>& R, double eps) {
    const StftCoefficients X = stft.forward(x);
    const auto S = inverseMatrix(stft, x.size());
    std::vector<double> out(X.values.size(), 0.0);
    for (size_t k = 0; k < X.values.size(); ++k)
        for (size_t n = 0; n < x.size(); ++n) {
            const double c = S[2 * k][n] * X.values[k].real() + S[2 * k + 1][n] * X.values[k].imag();
            const double stab = double(x[n]) + (x[n] >= 0 ? eps : -eps);
            out[k] += c * double(R[n]) / stab;
        }
    return out;
}

// A constructed "model" whose evidence lies in one band: f(x) = ||h * x||², h a Hann-windowed
// band-pass FIR. Its gradient × input (LRP-0 of this quadratic readout) is the sample relevance.
std::vector<float> bandEnergyGradientTimesInput(const std::vector<float>& x, double lowHz, double highHz, int taps = 401) {
    std::vector<double> h(static_cast<size_t>(taps));
    const int mid = taps / 2;
    for (int k = 0; k < taps; ++k) {
        const double m = k - mid;
        const double ideal = m == 0 ? 2 * (highHz - lowHz) / 16000
                                    : (std::sin(2 * kPi * highHz * m / 16000) - std::sin(2 * kPi * lowHz * m / 16000)) / (kPi * m);
        h[size_t(k)] = ideal * (0.5 - 0.5 * std::cos(2 * kPi * (k + 0.5) / taps));
    }
    const size_t n = x.size();
    std::vector<double> y(n + size_t(taps) - 1, 0.0);  // full convolution
    for (size_t i = 0; i < n; ++i)
        for (int k = 0; k < taps; ++k) y[i + size_t(k)] += h[size_t(k)] * x[i];
    std::vector<float> R(n);
    for (size_t i = 0; i < n; ++i) {
        double g = 0;
        for (int k = 0; k < taps; ++k) g += 2 * h[size_t(k)] * y[i + size_t(k)];
        R[i] = float(x[i] * g);
    }
    return R;
}

}  // namespace

class TestTfRelevance : public QObject {
    Q_OBJECT
private slots:
    // The transform the TF relevance runs through reconstructs the clip (float input, default STFT).
    void inverseStftOfTheClipIsTheClip() {
        const Stft stft = Stft::forSampleRate(16000);
        for (size_t length : {size_t(16000), size_t(4000), size_t(777)}) {
            const auto x = tones({180, 360, 2500}, length);
            const auto back = stft.inverse(stft.forward(x));
            double error = 0;
            for (size_t i = 0; i < length; ++i) error = std::max(error, std::abs(back[i] - double(x[i])));
            QVERIFY2(error <= 1e-6, qPrintable(QString::number(error)));
        }
    }

    // The ε-rule through contributions() equals the sum over an explicit inverse-STFT matrix, for a
    // small STFT and the default one, with samples where x[n] = 0 and R[n] != 0 included.
    void matchesAnExplicitInverseStftMatrix() {
        for (const Stft& stft : {Stft(32, 8), Stft(64, 16, 80), Stft::forSampleRate(16000)}) {
            const size_t length = stft.windowSamples() >= 400 ? 600 : 150;
            std::vector<float> x = toFloat(noise(length, 11)), R = toFloat(noise(length, 12));
            for (size_t i = 5; i < length; i += 37) x[i] = 0;  // zero samples keep their relevance
            x[7] = 3e-10f;                                      // within ε of zero: the stabiliser matters
            for (double eps : {1e-9, 1e-3}) {
                const TfRelevance tf = timeFrequencyRelevance(stft, stft.forward(x), x, R, 16000, {eps});
                const auto direct = directTfRelevance(stft, x, R, eps);
                QCOMPARE(tf.values.size(), direct.size());
                double error = 0;
                for (size_t k = 0; k < direct.size(); ++k) error = std::max(error, std::abs(tf.values[k] - direct[k]));
                const double scale = maxAbs(direct);
                QVERIFY2(error <= 1e-9 * scale, qPrintable(QString("window %1 eps %2: max error %3 of %4")
                                                               .arg(stft.windowSamples()).arg(eps).arg(error).arg(scale)));
                // Sums: ΣR[f,t] = Σ R[n] x[n] / stab(x[n]); zero samples lose all of theirs.
                double expected = 0, sampleTotal = 0, lost = 0;
                for (size_t n = 0; n < length; ++n) {
                    expected += double(R[n]) * x[n] / (double(x[n]) + (x[n] >= 0 ? eps : -eps));
                    sampleTotal += R[n];
                    if (x[n] == 0) lost += R[n];
                }
                QVERIFY(std::abs(tf.tfTotal - expected) <= 1e-9 * scale * double(direct.size()));
                QVERIFY(std::abs(tf.sampleTotal - sampleTotal) <= 1e-12 * length);
                QCOMPARE(tf.lostAtZero, lost);
                QVERIFY(lost != 0);
                QCOMPARE(tf.lostShareAtZero(), lost / sampleTotal);
                QCOMPARE(tf.conservationShare(), tf.tfTotal / sampleTotal);
            }
        }
    }

    // Gradient × input on a clip without zero samples: everything arrives (share 1 up to ε).
    void gradientTimesInputIsConserved() {
        const auto x = tones({180, 360}, 16000);
        const auto g = noise(16000, 4);
        std::vector<float> R(x.size());
        for (size_t i = 0; i < x.size(); ++i) R[i] = float(x[i] * g[i]);
        const TfRelevance tf = timeFrequencyRelevance(x, R, 16000);
        QVERIFY2(std::abs(tf.conservationShare() - 1) <= 1e-6, qPrintable(QString::number(tf.conservationShare(), 'g', 12)));
        QCOMPARE(tf.lostShareAtZero(), 0.0);
        QCOMPARE(tf.frames, 163);
        QCOMPARE(tf.bins, 201);
    }

    // A silent clip: no coefficient exists to carry relevance, so all of it is lost and reported.
    void silenceLosesEverything() {
        const std::vector<float> x(4000, 0.f), R(4000, 0.5f);
        const TfRelevance tf = timeFrequencyRelevance(x, R, 16000);
        QCOMPARE(tf.tfTotal, 0.0);
        QCOMPARE(tf.lostShareAtZero(), 1.0);
        QCOMPARE(tf.conservationShare(), 0.0);
        const TfRelevance none = timeFrequencyRelevance(x, std::vector<float>(4000, 0.f), 16000);
        QVERIFY(std::isnan(none.conservationShare()));  // no total to take a share of
    }

    void profilesAndAxes() {
        const auto x = tones({500}, 4000);
        const auto R = toFloat(noise(4000, 9));
        const TfRelevance tf = timeFrequencyRelevance(x, R, 16000);
        const auto perHz = tf.frequencyProfile(), perFrame = tf.timeProfile();
        QCOMPARE(int(perHz.size()), tf.bins);
        QCOMPARE(int(perFrame.size()), tf.frames);
        const double a = std::accumulate(perHz.begin(), perHz.end(), 0.0), b = std::accumulate(perFrame.begin(), perFrame.end(), 0.0);
        QVERIFY(std::abs(a - tf.tfTotal) <= 1e-9 * maxAbs(tf.values) * tf.values.size());
        QVERIFY(std::abs(b - tf.tfTotal) <= 1e-9 * maxAbs(tf.values) * tf.values.size());
        for (int f = 0; f < tf.bins; ++f) {
            double s = 0;
            for (int t = 0; t < tf.frames; ++t) s += tf.at(t, f);
            QCOMPARE(perHz[size_t(f)], s);
        }
        // 25 ms window, 6.25 ms hop at 16 kHz: frame 0 starts 300 samples early, centred 100 samples early.
        QCOMPARE(tf.frameTime(0), -100.0 / 16000);
        QCOMPARE(tf.frameTime(5), 400.0 / 16000);
        QCOMPARE(tf.binFrequency(10), 400.0);
        QCOMPARE(tf.binFrequencies().back(), 8000.0);
        QCOMPARE(int(tf.frameTimes().size()), tf.frames);
    }

    // "For" + "rest" = the clip at every k (complementary masks, linear ISTFT); "against" keeps only
    // negative coefficients; k = 100 gives the plain sign masks; the top-k count is exact.
    void maskedSignalsAddUp() {
        const Stft stft = Stft::forSampleRate(16000);
        const auto x = tones({180, 360, 1200}, 16000);
        const StftCoefficients X = stft.forward(x);
        const TfRelevance tf = timeFrequencyRelevance(stft, X, x, toFloat(noise(16000, 21)), 16000);
        for (double k : {0.0, 1.0, 5.0, 37.5, 100.0}) {
            const MaskedAudio forClass = listenTo(stft, X, tf, ListenMask::For, k);
            const MaskedAudio rest = listenTo(stft, X, tf, ListenMask::Rest, k);
            double error = 0;
            for (size_t i = 0; i < x.size(); ++i) error = std::max(error, std::abs(double(forClass.samples[i]) + rest.samples[i] - x[i]));
            QVERIFY2(error <= 1e-5, qPrintable(QString("k %1: for + rest differs from the clip by %2").arg(k).arg(error)));
            QVERIFY(std::abs(forClass.keptCoefficients + rest.keptCoefficients - 1) < 1e-12);
            const auto strongest = listeningMask(tf, ListenMask::Strongest, k);
            const auto kept = size_t(std::count(strongest.begin(), strongest.end(), uint8_t(1)));
            QCOMPARE(kept, size_t(std::ceil(k / 100 * double(tf.values.size()) - 1e-9)));
            const auto against = listeningMask(tf, ListenMask::Against, k), forMask = listeningMask(tf, ListenMask::For, k);
            double smallestKept = INFINITY, largestLeft = 0;
            for (size_t i = 0; i < against.size(); ++i) {
                if (against[i]) QVERIFY(tf.values[i] < 0);
                if (forMask[i]) QVERIFY(tf.values[i] > 0);
                QVERIFY(!(against[i] && forMask[i]));
                if (strongest[i]) smallestKept = std::min(smallestKept, std::abs(tf.values[i]));
                else largestLeft = std::max(largestLeft, std::abs(tf.values[i]));
            }
            if (kept > 0 && kept < strongest.size()) QVERIFY(smallestKept >= largestLeft);
        }
        const auto all = listeningMask(tf, ListenMask::For, 100);
        for (size_t i = 0; i < all.size(); ++i) QCOMPARE(bool(all[i]), tf.values[i] > 0);
        // 100 % strongest is the clip itself; 0 % "for" is silence.
        const MaskedAudio whole = listenTo(stft, X, tf, ListenMask::Strongest, 100);
        QVERIFY(std::abs(whole.keptEnergy - 1) < 1e-9);
        const MaskedAudio nothing = listenTo(stft, X, tf, ListenMask::For, 0);
        QCOMPARE(maxAbs(std::vector<double>(nothing.samples.begin(), nothing.samples.end())), 0.0);
    }

    void masksRefuseNonsense() {
        const auto x = tones({500}, 1000);
        const TfRelevance tf = timeFrequencyRelevance(x, x, 16000);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, listeningMask(tf, ListenMask::For, 101));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, listeningMask(tf, ListenMask::For, -1));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, listeningMask(tf, ListenMask::For, NAN));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, timeFrequencyRelevance(x, std::vector<float>(999), 16000));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, timeFrequencyRelevance(x, x, 16000, {0.0}));
        QCOMPARE(parseListenMask("against"), ListenMask::Against);
        QCOMPARE(listenMaskName(parseListenMask("rest")), std::string("rest"));
        try {
            parseListenMask("louder");
            QFAIL("no exception");
        } catch (const std::invalid_argument& e) {
            QVERIFY(std::string(e.what()).find("for, against, rest") != std::string::npos);
        }
    }

    // A constructed model whose evidence lies in 800–1200 Hz (the energy of a band-pass output),
    // explained by gradient × input, on tones at 300, 1000 and 3000 Hz: at least 80 % of the positive
    // TF relevance lands in that band (with the Hann main lobe, ±2 bins, allowed around it). What this
    // proves: the redistribution does not smear band-limited sample relevance into other bands. It
    // does not prove a trained network's evidence is found; that is the method's business.
    void bandLimitedEvidenceStaysInItsBand() {
        const auto x = tones({300, 1000, 3000}, 16000);
        const auto R = bandEnergyGradientTimesInput(x, 800, 1200);
        const TfRelevance tf = timeFrequencyRelevance(x, R, 16000);
        QVERIFY(tf.sampleTotal > 0);
        QVERIFY(std::abs(tf.conservationShare() - 1) < 1e-6);
        double inBand = 0, positive = 0;
        for (int t = 0; t < tf.frames; ++t)
            for (int f = 0; f < tf.bins; ++f) {
                const double r = tf.at(t, f);
                if (r <= 0) continue;
                positive += r;
                const double hz = tf.binFrequency(f);
                if (hz >= 800 - 80 && hz <= 1200 + 80) inBand += r;
            }
        const double share = inBand / positive;
        qInfo("positive TF relevance in 720-1280 Hz: %.4f", share);
        QVERIFY2(share >= 0.8, qPrintable(QString::number(share)));
        // The 300 Hz and 3000 Hz tones carry as much energy but (almost) none of the relevance.
        const auto profile = tf.frequencyProfile();
        QVERIFY(std::abs(profile[size_t(300 / 40)]) < 0.01 * profile[size_t(1000 / 40)]);
        QVERIFY(std::abs(profile[size_t(3000 / 40)]) < 0.01 * profile[size_t(1000 / 40)]);
    }
};

QTEST_GUILESS_MAIN(TestTfRelevance)
#include "test_tf_relevance.moc"
