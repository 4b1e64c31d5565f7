// Time–frequency relevance of the engine's methods (DESIGN.md §8): for LRP-0 on a model without
// biases ΣR[f,t] = ΣR[n] = the target logit; a method's R[f,t] equals a direct evaluation of the
// inverse-STFT contributions; masked audio is classified by the model like any clip.
#include <torch/torch.h>  // torch before Qt: Qt's `slots` macro breaks libtorch headers

#include <QtTest>

#include <cmath>

#include "attribution_fixtures.h"
#include "signal/listening.h"
#include "signal/stft.h"
#include "signal/tf_relevance.h"

using namespace s4scope;
using s4test::run;
using s4test::testClip;
using s4test::testModel;

class TestTfEngine : public QObject {
    Q_OBJECT
private slots:
    void lrpZeroIsConservedInTimeAndFrequency() {
        const Model m = testModel(false, /*zeroBiases=*/true);
        const auto clip = testClip(m.config().seq_len);
        for (int64_t target : {0, 3}) {
            const Explanation e = run(m, clip, "lrp_z", {}, target);
            const double logit = e.logits[size_t(target)];
            const signal::TfRelevance tf = signal::timeFrequencyRelevance(clip, e.relevance, 16000);
            qInfo("target %d: logit %.6f, sum R[n] %.6f, sum R[f,t] %.6f, lost at zero %.3g", int(target), logit,
                  tf.sampleTotal, tf.tfTotal, tf.lostShareAtZero());
            QVERIFY2(std::abs(tf.sampleTotal - logit) <= 1e-3 * std::abs(logit), qPrintable(QString::number(tf.sampleTotal)));
            QVERIFY2(std::abs(tf.tfTotal - logit) <= 1e-3 * std::abs(logit), qPrintable(QString::number(tf.tfTotal)));
            QVERIFY(std::abs(tf.conservationShare() - 1) <= 1e-3);
        }
    }

    // R[f,t] of LRP-ε and gradient × input equal Σₙ c[n,(f,t)] R[n] / stab(x[n]) with c from its
    // closed form (stft.h): g[n - s_t] w_f Re(X[f,t] e^{2πi f (n - s_t)/M}) / sqrt(M), in float64.
    void methodRelevanceMatchesDirectContributions() {
        const Model m = testModel();
        const auto clip = testClip(m.config().seq_len);
        const signal::Stft stft = signal::Stft::forSampleRate(16000);
        const signal::StftCoefficients X = stft.forward(clip);
        const int M = stft.fftSize();
        const double eps = 1e-9;
        for (const char* method : {"lrp_epsilon", "gradient_x_input", "gradient"}) {
            const Explanation e = run(m, clip, method);
            const signal::TfRelevance tf = signal::timeFrequencyRelevance(stft, X, clip, e.relevance, 16000, {eps});
            const signal::FrameGrid grid = stft.grid(clip.size());
            double error = 0, scale = 0;
            for (int t = 0; t < X.frames; ++t)
                for (int f = 0; f < X.bins; ++f) {
                    double direct = 0;
                    for (int k = 0; k < stft.windowSamples(); ++k) {
                        const long n = grid.start(t) + k;
                        if (n < 0 || n >= long(clip.size())) continue;
                        const std::complex<double> phase = std::polar(1.0, 2 * M_PI * f * k / M);
                        const double c = stft.window()[size_t(k)] * stft.binWeight(f) * std::real(X.at(t, f) * phase) / std::sqrt(double(M));
                        const double x = clip[size_t(n)];
                        direct += c * double(e.relevance[size_t(n)]) / (x + (x >= 0 ? eps : -eps));
                    }
                    error = std::max(error, std::abs(direct - tf.at(t, f)));
                    scale = std::max(scale, std::abs(direct));
                }
            QVERIFY2(error <= 1e-9 * scale, qPrintable(QString("%1: max error %2 of %3").arg(method).arg(error).arg(scale)));
        }
    }

    // The masked clips go through the model like any clip: keeping every coefficient gives the
    // clip's own prediction; "for" + "rest" rebuild the clip, so their logits (a nonlinear model)
    // need not add up but the sum of the two signals classifies as the clip does.
    void maskedAudioIsClassified() {
        const Model m = testModel();
        const auto clip = testClip(m.config().seq_len);
        const Explanation e = run(m, clip, "lrp_epsilon");
        const signal::Stft stft = signal::Stft::forSampleRate(16000);
        const signal::StftCoefficients X = stft.forward(clip);
        const signal::TfRelevance tf = signal::timeFrequencyRelevance(stft, X, clip, e.relevance, 16000);
        const Prediction original = m.classify(clip);
        const auto all = signal::listenTo(stft, X, tf, signal::ListenMask::Strongest, 100);
        const Prediction same = m.classify(all.samples);
        QVERIFY(std::abs(same.probabilities[size_t(e.target)] - original.probabilities[size_t(e.target)]) < 1e-5);
        const auto forClass = signal::listenTo(stft, X, tf, signal::ListenMask::For, 20);
        const auto rest = signal::listenTo(stft, X, tf, signal::ListenMask::Rest, 20);
        std::vector<float> both(clip.size());
        for (size_t i = 0; i < clip.size(); ++i) both[i] = forClass.samples[i] + rest.samples[i];
        QVERIFY(std::abs(m.classify(both).probabilities[size_t(e.target)] - original.probabilities[size_t(e.target)]) < 1e-4);
        const float pFor = m.classify(forClass.samples).probabilities[size_t(e.target)];
        QVERIFY(std::isfinite(pFor) && pFor >= 0 && pFor <= 1);
    }
};

QTEST_GUILESS_MAIN(TestTfEngine)
#include "test_tf_engine.moc"
