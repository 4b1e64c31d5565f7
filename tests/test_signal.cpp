// The signal library (src/signal/): the tight-frame STFT and its exact inverse, the spectrogram the
// views draw, relevance pooling and correlation. No Qt outside the test harness.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <complex>
#include <numeric>
#include <stdexcept>
#include <thread>

#include "signal/correlation.h"
#include "signal/relevance_pooling.h"
#include "signal/spectrogram.h"
#include "signal/stft.h"

using namespace s4scope::signal;

namespace {

constexpr double kPi = 3.14159265358979323846;

// Deterministic noise in [-1, 1).
std::vector<double> noise(size_t n, uint32_t seed) {
    std::vector<double> v(n);
    for (double& x : v) {
        seed = seed * 1664525u + 1013904223u;
        x = double(seed >> 8) / double(1 << 23) - 1.0;
    }
    return v;
}

std::vector<float> sine(double hz, int n = 16000, int rate = 16000, float amplitude = 1.f) {
    std::vector<float> v(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) v[size_t(i)] = amplitude * float(std::sin(2 * kPi * hz * i / rate));
    return v;
}

double maxAbsDiff(const std::vector<double>& a, const std::vector<double>& b) {
    double m = 0;
    for (size_t i = 0; i < a.size(); ++i) m = std::max(m, std::abs(a[i] - b[i]));
    return m;
}

StftCoefficients randomCoefficients(const Stft& stft, size_t length, uint32_t seed) {
    StftCoefficients Y;
    Y.frames = stft.grid(length).frames;
    Y.bins = stft.bins();
    Y.length = length;
    const auto re = noise(size_t(Y.frames) * Y.bins, seed), im = noise(size_t(Y.frames) * Y.bins, seed + 7);
    for (size_t i = 0; i < re.size(); ++i) Y.values.emplace_back(re[i], im[i]);  // DC and Nyquist not real either
    return Y;
}

}  // namespace

class TestSignal : public QObject {
    Q_OBJECT
private slots:
    // ISTFT(STFT(x)) = x for lengths that are and are not multiples of the hop, for the default
    // STFT, a hop of a third of the window, and zero-padded DFTs.
    void inverseStftReconstructsExactly() {
        const std::vector<Stft> transforms{Stft::forSampleRate(16000), Stft(300, 100), Stft(256, 64, 1024), Stft(8, 2)};
        for (const Stft& stft : transforms) {
            for (size_t length : {size_t(1), size_t(7), size_t(99), size_t(100), size_t(101), size_t(399), size_t(400),
                                  size_t(1001), size_t(16000), size_t(16037)}) {
                const std::vector<double> x = noise(length, uint32_t(length) + 3);
                const StftCoefficients X = stft.forward(x);
                QCOMPARE(X.frames, stft.grid(length).frames);
                const std::vector<double> back = stft.inverse(X);
                QCOMPARE(back.size(), length);
                const double error = maxAbsDiff(back, x);
                QVERIFY2(error <= 1e-6, qPrintable(QString("window %1 hop %2 length %3: max error %4")
                                                       .arg(stft.windowSamples()).arg(stft.hopSamples()).arg(length).arg(error)));
                QVERIFY2(error <= 1e-12, qPrintable(QString::number(error)));  // float64 throughout
            }
        }
        // Float input takes the same path.
        const Stft stft = Stft::forSampleRate(16000);
        const auto clip = sine(440, 1234);
        const auto back = stft.inverse(stft.forward(clip));
        QVERIFY(maxAbsDiff(back, std::vector<double>(clip.begin(), clip.end())) <= 1e-6);
    }

    void defaultStftIs25msWithAQuarterHop() {
        const Stft stft = Stft::forSampleRate(16000);
        QCOMPARE(stft.windowSamples(), 400);
        QCOMPARE(stft.hopSamples(), 100);
        QCOMPARE(stft.bins(), 201);
        QCOMPARE(stft.binFrequency(10, 16000), 400.0);
        // Every sample gets the full overlap: the first frame starts window - hop before the signal.
        const FrameGrid grid = stft.grid(16000);
        QCOMPARE(grid.firstStart, -300L);
        QCOMPARE(grid.frames, 163);
        QVERIFY(grid.start(grid.frames - 1) <= 15999 && grid.start(grid.frames - 1) + 100 > 15999);
    }

    // A tight frame: ||STFT x|| = ||x|| and the synthesis is the analysis' adjoint, for any coefficients.
    void stftIsAParsevalFrameWithTheInverseAsAdjoint() {
        for (const Stft& stft : {Stft::forSampleRate(16000), Stft(256, 64, 1024), Stft(300, 100, 301)}) {
            const size_t length = 3333;
            const std::vector<double> x = noise(length, 11);
            const StftCoefficients X = stft.forward(x);
            const double energy = std::inner_product(x.begin(), x.end(), x.begin(), 0.0);
            QVERIFY2(std::abs(stft.dot(X, X) - energy) <= 1e-10 * energy, qPrintable(QString::number(stft.dot(X, X) / energy)));
            const StftCoefficients Y = randomCoefficients(stft, length, 5);
            const std::vector<double> y = stft.inverse(Y);
            const double left = stft.dot(X, Y), right = std::inner_product(x.begin(), x.end(), y.begin(), 0.0);
            QVERIFY2(std::abs(left - right) <= 1e-10 * std::abs(right), qPrintable(QString("%1 vs %2").arg(left).arg(right)));
        }
    }

    // inverse(X)[n] = Σ c[n,(f,t)]: one coefficient alone synthesises exactly its c[·,(f,t)] (the
    // formula of stft.h, evaluated directly here), and contributions() pairs them with any weights.
    void inverseIsLinearPerCoefficient() {
        const Stft stft(64, 16);
        const size_t length = 300;
        const int M = stft.fftSize();
        const FrameGrid grid = stft.grid(length);
        for (const auto& [t, f] : {std::pair{0, 0}, std::pair{3, 5}, std::pair{grid.frames - 1, 32}, std::pair{9, 31}}) {
            StftCoefficients X = randomCoefficients(stft, length, 1);
            const std::complex<double> value = X.at(t, f);
            std::fill(X.values.begin(), X.values.end(), std::complex<double>(0, 0));
            X.at(t, f) = value;
            const std::vector<double> synthesised = stft.inverse(X);
            for (long n = 0; n < long(length); ++n) {
                const long m = n - grid.start(t);
                double expected = 0;
                if (m >= 0 && m < stft.windowSamples())
                    expected = stft.window()[size_t(m)] * stft.binWeight(f) *
                               std::real(value * std::polar(1.0, 2 * kPi * f * double(m) / M)) / std::sqrt(double(M));
                QVERIFY2(std::abs(synthesised[size_t(n)] - expected) <= 1e-12,
                         qPrintable(QString("(%1,%2) n %3: %4 vs %5").arg(t).arg(f).arg(n).arg(synthesised[size_t(n)]).arg(expected)));
            }
            // With v = the unit vector at n, contributions() returns c[n,(f,t)] at (t,f) and 0 elsewhere.
            std::vector<double> unit(length, 0.0);
            unit[150] = 1.0;
            const std::vector<double> c = stft.contributions(X, unit);
            QVERIFY(std::abs(c[size_t(t) * X.bins + size_t(f)] - synthesised[150]) <= 1e-12);
        }
        // Over all coefficients: Σ_{f,t} Σ_n c[n,(f,t)] v[n] = Σ_n inverse(X)[n] v[n], and for v = e_n
        // the coefficients' shares of sample n add up to it.
        const std::vector<double> x = noise(length, 9), v = noise(length, 10);
        const StftCoefficients X = stft.forward(x);
        const std::vector<double> shares = stft.contributions(X, v);
        const double total = std::accumulate(shares.begin(), shares.end(), 0.0);
        const double expected = std::inner_product(x.begin(), x.end(), v.begin(), 0.0);
        QVERIFY2(std::abs(total - expected) <= 1e-10 * std::abs(expected), qPrintable(QString("%1 vs %2").arg(total).arg(expected)));
        std::vector<double> unit(length, 0.0);
        unit[77] = 1.0;
        const std::vector<double> ofSample = stft.contributions(X, unit);
        QVERIFY(std::abs(std::accumulate(ofSample.begin(), ofSample.end(), 0.0) - x[77]) <= 1e-12);
    }

    void stftRefusesWhatIsNoTightFrame() {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Stft(400, 160));  // the spectrogram's grid: 2.5 hops per window
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Stft(400, 200));  // hop window/2: Hann² does not add up
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Stft(400, 100, 256));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Stft(1, 1));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Stft(400, 0));
        const Stft stft(64, 16);
        StftCoefficients X = stft.forward(noise(100, 1));
        X.length = 1000;  // coefficients that belong to another signal
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, stft.inverse(X));
        try {
            Stft(400, 160);
        } catch (const std::invalid_argument& e) {
            QVERIFY2(QString(e.what()).contains("hop of 160"), e.what());
        }
    }

    // The spectrogram against a direct float64 DFT of each centred, Hann-windowed, zero-padded frame.
    void spectrogramMatchesADirectDft() {
        const int rate = 16000, n = 1203;
        std::vector<float> x(static_cast<size_t>(n));
        const auto r = noise(size_t(n), 4);
        for (int i = 0; i < n; ++i) x[size_t(i)] = float(0.6 * std::sin(2 * kPi * (300 + 2 * i) * i / rate) + 0.05 * r[size_t(i)]);
        const Spectrogram s = computeSpectrogram(x, rate);
        QCOMPARE(s.windowSamples, 400);
        QCOMPARE(s.hopSamples, 160);
        QCOMPARE(s.frames, n / 160 + 1);
        QCOMPARE(s.bins, 257);
        double windowSum = 0;
        std::vector<double> w(400);
        for (int m = 0; m < 400; ++m) windowSum += w[size_t(m)] = 0.5 - 0.5 * std::cos(2 * kPi * m / 400);
        double worst = 0;
        for (int t = 0; t < s.frames; ++t) {
            for (int k = 0; k < s.bins; ++k) {
                std::complex<double> sum = 0;
                for (int m = 0; m < 400; ++m) {
                    const int i = t * 160 - 200 + m;
                    if (i >= 0 && i < n) sum += double(x[size_t(i)]) * w[size_t(m)] * std::polar(1.0, -2 * kPi * k * m / 512.0);
                }
                const double db = std::max(-120.0, 20 * std::log10(std::max(std::abs(sum) / windowSum, 1e-12)));
                worst = std::max(worst, std::abs(db - double(s.at(t, k))));
            }
        }
        QVERIFY2(worst <= 1e-3, qPrintable(QString("worst difference %1 dB").arg(worst)));
    }

    void spectrogramHasCentredFramesAndFindsTheTone() {
        const Spectrogram s = computeSpectrogram(sine(1000), 16000);
        QCOMPARE(s.windowSamples, 400);  // 25 ms
        QCOMPARE(s.hopSamples, 160);     // 10 ms
        QCOMPARE(s.frames, 101);         // centred: t = 0, 10 ms, ..., 1 s
        QCOMPARE(s.frameTime(50), 0.5);
        QCOMPARE(s.bins, 257);
        int peak = 0;
        for (int b = 0; b < s.bins; ++b)
            if (s.at(50, b) > s.at(50, peak)) peak = b;
        QVERIFY(std::abs(peak * s.binHz - 1000.0) <= s.binHz);
        QVERIFY(std::abs(s.at(50, peak) - (-6.0f)) < 1.5f);  // a full-scale sine: about -6 dB
        QVERIFY(s.at(50, 200) < -60);
    }

    void spectrogramOfSilenceIsTheFloor() {
        const Spectrogram s = computeSpectrogram(std::vector<float>(16000, 0.f), 16000);
        QCOMPARE(s.maxDb(), -120.f);
        QCOMPARE(computeSpectrogram({}, 16000).frames, 0);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, computeSpectrogram(sine(100), 0));
    }

    // FFTW's planner is not thread-safe: plans of new sizes made from several threads at once must
    // neither crash nor differ from those made on one thread.
    void spectrogramsOnSeveralThreadsAgree() {
        const auto clip = sine(700, 8000, 11025);
        std::vector<Spectrogram> parallel(8);
        std::vector<std::thread> threads;
        for (size_t i = 0; i < parallel.size(); ++i)
            threads.emplace_back([&, i] { parallel[i] = computeSpectrogram(clip, 11025 + int(i % 4) * 1000); });
        for (std::thread& t : threads) t.join();
        for (size_t i = 0; i < parallel.size(); ++i) QVERIFY(parallel[i].db == computeSpectrogram(clip, 11025 + int(i % 4) * 1000).db);
    }

    void poolingConservesRelevance() {
        std::vector<float> r(16000);
        for (size_t i = 0; i < r.size(); ++i) r[i] = float(std::sin(0.01 * double(i)));
        const double total = std::accumulate(r.begin(), r.end(), 0.0);
        for (int bins : {1, 2, 997, 1600, 16000, 20000}) {
            const auto pooled = poolRelevance(r, 0, 16000, bins);
            QCOMPARE(int(pooled.size()), bins);
            QVERIFY(std::abs(std::accumulate(pooled.begin(), pooled.end(), 0.0) - total) < 1e-6);
        }
        // A window of the clip at fractional bounds holds exactly the samples whose index is inside it.
        const auto part = poolRelevance(r, 999.5, 4000.25, 33);
        const double inside = std::accumulate(r.begin() + 1000, r.begin() + 4001, 0.0);
        QVERIFY(std::abs(std::accumulate(part.begin(), part.end(), 0.0) - inside) < 1e-6);
        for (int hop : {160, 100, 7}) {
            const auto frames = poolPerFrame(r, hop, int(r.size()) / hop + 1);
            QVERIFY2(std::abs(std::accumulate(frames.begin(), frames.end(), 0.0) - total) < 1e-6, qPrintable(QString::number(hop)));
        }
        // A length that is no multiple of the hop: the spectrogram's frames end before the clip does.
        const std::vector<float> longer(16090, 1.f);
        const auto tail = poolPerFrame(longer, 160, computeSpectrogram(longer, 16000).frames);
        QCOMPARE(std::accumulate(tail.begin(), tail.end(), 0.0), 16090.0);
        QCOMPARE(tail.back(), 160.0 + 10.0);  // its hop and the 10 samples after it
        // Frame i covers the hop centred on sample i * 160.
        std::vector<float> impulse(16000, 0.f);
        impulse[8000 + 79] = 1.f;
        impulse[8000 - 80] = 2.f;
        impulse[8000 + 80] = 5.f;  // the next frame's
        const auto f = poolPerFrame(impulse, 160, 101);
        QCOMPARE(f[50], 3.0);
        QCOMPARE(f[51], 5.0);
        QCOMPARE(maxAbs(f), 5.0);
    }

    // Values worked out by hand.
    void correlationsAgainstHandComputedCases() {
        // Pearson: deviations (-1.5, -0.5, 0.5, 1.5) and (-1.5, 0.5, -0.5, 1.5): 4 / sqrt(5 * 5) = 0.8.
        QCOMPARE(pearson(std::vector<float>{1, 2, 3, 4}, std::vector<float>{1, 3, 2, 4}), 0.8);
        // Spearman with a tie: ranks (0, 1.5, 1.5, 3) and (0, 1, 2, 3): 4.5 / sqrt(4.5 * 5).
        QVERIFY(std::abs(spearman(std::vector<float>{1, 2, 2, 3}, std::vector<float>{10, 20, 30, 40}) - 4.5 / std::sqrt(22.5)) < 1e-12);
        const std::vector<float> a{1, 2, 3, 4, 5}, b{2, 4, 6, 8, 10}, c{5, 4, 3, 2, 1}, d{1, 4, 9, 16, 100};
        QCOMPARE(pearson(a, b), 1.0);
        QCOMPARE(pearson(a, c), -1.0);
        QVERIFY(pearson(a, d) < 1.0);
        QCOMPARE(spearman(a, d), 1.0);  // monotonic
        QCOMPARE(spearman(std::vector<float>{1, 1, 2}, std::vector<float>{3, 3, 4}), 1.0);  // ties
        QVERIFY(std::isnan(pearson(a, std::vector<float>(5, 2.f))));  // constant: no correlation
        QVERIFY(std::isnan(pearson(a, std::vector<float>{1, 2})));  // sizes differ
        const auto m = agreementMatrix(Correlation::Pearson, {a, b, c, d});
        QCOMPARE(m.size(), size_t(16));
        for (int i = 0; i < 4; ++i) {
            QCOMPARE(m[size_t(i * 4 + i)], 1.0);
            for (int j = 0; j < 4; ++j) QCOMPARE(m[size_t(i * 4 + j)], m[size_t(j * 4 + i)]);
        }
        QCOMPARE(m[2], -1.0);
        QCOMPARE(m[1 * 4 + 3], pearson(b, d));
        const auto s = agreementMatrix(Correlation::Spearman, {a, d, c});
        QCOMPARE(s[1], 1.0);
        QCOMPARE(s[1 * 3 + 2], -1.0);
    }

    // Top-k overlap by hand: the top 40 % (2 of 5) of a are {3, 4}, of e {0, 4}: 1 shared of 3.
    void topKOverlapIsTheJaccardIndexOfTheTopFrames() {
        const std::vector<float> a{1, 2, 3, 4, 5}, e{9, 1, 2, 3, 8}, c{5, 4, 3, 2, 1};
        QCOMPARE(topKOverlap(a, a, 0.4), 1.0);
        QCOMPARE(topKOverlap(a, e, 0.4), 1.0 / 3.0);
        QCOMPARE(topKOverlap(a, c, 0.4), 0.0);
        QCOMPARE(topKOverlap(a, c, 1.0), 1.0);  // everything is in the top 100 %
        QCOMPARE(topKOverlap(a, c, 0.0), 0.0);  // at least one frame: 4 vs 0
        QVERIFY(std::isnan(topKOverlap(a, std::vector<float>{1, 2}, 0.4)));
        const auto m = agreementMatrix(Correlation::TopKOverlap, {a, e, c}, 0.4);
        QCOMPARE(m[0 * 3 + 1], 1.0 / 3.0);
        QCOMPARE(m[1 * 3 + 0], 1.0 / 3.0);
        QCOMPARE(m[2 * 3 + 2], 1.0);
    }

    void framesSumRelevanceAndKeepTheRemainder() {
        QCOMPARE(poolFrames({1, 2, 3, 4, 5, 6, 7}, 3), (std::vector<float>{6, 15, 7}));
        QCOMPARE(poolFrames({1, -2}, 1), (std::vector<float>{1, -2}));
        const auto scales = agreementScales(16000);
        QCOMPARE(int(scales.size()), 4);
        QCOMPARE(scales[0].samples, 1);
        QCOMPARE(scales[1].samples, 16);
        QCOMPARE(scales[2].samples, 160);
        QCOMPARE(scales[3].samples, 800);
        QCOMPARE(scales[size_t(kDefaultAgreementScale)].name, std::string("10 ms"));
    }

    // Every matrix the views can show equals a direct computation on the maps pooled to its scale.
    void agreementAtEveryScaleAndMeasureEqualsADirectComputation() {
        const int rate = 16000, n = 16000;
        std::vector<std::vector<float>> maps(4, std::vector<float>(size_t(n)));
        for (int i = 0; i < n; ++i) {
            const double t = double(i) / rate;
            const double envelope = std::exp(-std::pow((t - 0.5) / 0.1, 2));
            const double carrier = std::sin(2 * M_PI * 300 * t);
            maps[0][size_t(i)] = float(envelope * carrier);                       // a word, oscillating
            maps[1][size_t(i)] = float(envelope * carrier * carrier);             // its energy
            maps[2][size_t(i)] = float(envelope);                                  // smooth
            maps[3][size_t(i)] = float(std::sin(37.0 * i) * 0.1);                 // noise-like
        }
        const Agreement agreement = agreementOf(maps, rate, 0.1);
        QCOMPARE(int(agreement.scales.size()), 4);
        for (int s = 0; s < 4; ++s) {
            std::vector<std::vector<float>> pooled;
            for (const auto& m : maps) pooled.push_back(poolFrames(m, agreement.scales[size_t(s)].samples));
            for (int k = 0; k < kCorrelationCount; ++k) {
                const auto& values = agreement.of(Correlation(k), s);
                QCOMPARE(values.size(), size_t(16));
                for (int i = 0; i < 4; ++i)
                    for (int j = 0; j < 4; ++j) {
                        const double direct = correlate(Correlation(k), pooled[size_t(i)], pooled[size_t(j)], 0.1);
                        const double got = values[size_t(i * 4 + j)];
                        QVERIFY2((std::isnan(direct) && std::isnan(got)) || std::abs(direct - got) < 1e-12,
                                 qPrintable(QString("scale %1 measure %2 (%3, %4): %5 vs %6").arg(s).arg(k).arg(i).arg(j).arg(got).arg(direct)));
                    }
                QCOMPARE(agreement.find(Correlation(k), s)->clusterOrder.size(), size_t(4));
            }
        }
        // The carrier dominates per sample: the word's energy and its smooth envelope agree far
        // better in 10 ms frames than sample by sample (DESIGN.md §10's reason for the default).
        QVERIFY(std::abs(agreement.of(Correlation::Pearson, 0)[1]) < 0.2);  // odd vs even in the carrier
        const double perSample = agreement.of(Correlation::Pearson, 0)[2 * 4 + 1];
        const double framed = agreement.of(Correlation::Pearson, kDefaultAgreementScale)[2 * 4 + 1];
        QVERIFY2(framed > 0.99 && framed > perSample + 0.1, qPrintable(QString("%1 per sample, %2 in 10 ms frames").arg(perSample).arg(framed)));
    }

    void clusterOrderPutsSimilarItemsTogether() {
        // Items 0 and 2 agree, 1 and 3 agree, the groups oppose each other.
        const std::vector<double> m{1, -0.8, 0.9, -0.7,  //
                                    -0.8, 1, -0.6, 0.95,  //
                                    0.9, -0.6, 1, -0.5,  //
                                    -0.7, 0.95, -0.5, 1};
        const auto order = clusterOrder(m, 4);
        QCOMPARE(int(order.size()), 4);
        auto position = [&](int item) { return int(std::find(order.begin(), order.end(), item) - order.begin()); };
        QCOMPARE(std::abs(position(0) - position(2)), 1);
        QCOMPARE(std::abs(position(1) - position(3)), 1);
        std::vector<int> sorted = order;
        std::sort(sorted.begin(), sorted.end());
        QCOMPARE(sorted, (std::vector<int>{0, 1, 2, 3}));
    }

    void relevanceStatsAreTheDatasOwn() {
        const RelevanceStats s = relevanceStats({0.5f, -6.43f, 2.f, 0.f});
        QCOMPARE(s.maxAbs, double(6.43f));
        QCOMPARE(s.sum, double(0.5f) + double(-6.43f) + 2.0);
    }
};

QTEST_GUILESS_MAIN(TestSignal)
#include "test_signal.moc"
