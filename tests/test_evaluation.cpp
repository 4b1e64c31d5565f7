// Judging explanations (issue 18, DESIGN.md §10): every metric against a direct computation on a
// tiny case, and the properties a wrong implementation fails: occlusion on a classifier that only
// listens to a known window beats random order and localises it; an |x| "edge detector" that
// ignores the weights fails the randomisation check while the gradient passes; LRP-0 on a
// zero-bias model conserves relevance at every layer.
#include <torch/torch.h>  // torch before Qt: Qt's `slots` macro breaks libtorch headers

#include <QtTest>

#include <atomic>
#include <cmath>
#include <numeric>
#include <random>

#include "attribution_fixtures.h"
#include "s4scope/audio_io.h"
#include "s4scope/evaluation.h"
#include "s4scope/resources.h"

using namespace s4scope;
using namespace s4scope::evaluation;

namespace {

using s4test::testClip;
using s4test::testModel;

// Two classes whose logit difference is `score(x)`: the probability of class 0 is sigmoid(score).
LogitFunction twoClass(std::function<double(const float*)> score, int64_t T) {
    return [score, T](const float* clips, int64_t batch) {
        std::vector<float> l;
        for (int64_t b = 0; b < batch; ++b) l.push_back(float(score(clips + b * T))), l.push_back(0.f);
        return l;
    };
}
double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

// Spearman's rank correlation written out directly (no ties in the cases used).
double directSpearman(const std::vector<double>& a, const std::vector<double>& b) {
    auto ranks = [](const std::vector<double>& v) {
        std::vector<double> r(v.size());
        for (size_t i = 0; i < v.size(); ++i)
            for (size_t j = 0; j < v.size(); ++j) r[i] += v[j] < v[i];
        return r;
    };
    const auto ra = ranks(a), rb = ranks(b);
    const double n = double(a.size());
    double d2 = 0;
    for (size_t i = 0; i < a.size(); ++i) d2 += (ra[i] - rb[i]) * (ra[i] - rb[i]);
    return 1.0 - 6.0 * d2 / (n * (n * n - 1));
}

}  // namespace

class TestEvaluation : public QObject {
    Q_OBJECT

private slots:
    void framesAndAreas() {
        QCOMPARE(frameSamples(16000, 10), 160);
        QCOMPARE(frameSamples(16000, 1), 16);
        QCOMPARE(frameSamples(16000, 0.01), 1);
        const std::vector<float> r{1, -2, 3, 4, 5, -6, 7};
        QCOMPARE(poolFrames(r, 3), (std::vector<double>{2, 3, 7}));
        QCOMPARE(poolFrames(r, 3, true), (std::vector<double>{6, 15, 7}));
        QCOMPARE(rankFrames({2, 3, 7, 3}), (std::vector<int>{2, 1, 3, 0}));
        const auto k = curveFractions(0.05);
        QCOMPARE(k.size(), size_t(21));
        QCOMPARE(k.back(), 1.0);
        QVERIFY(std::abs(k[10] - 0.5) < 1e-12);
        const auto k3 = curveFractions(0.3), expected3 = std::vector<double>{0, 0.3, 0.6, 0.9, 1.0};
        QCOMPARE(k3.size(), expected3.size());
        for (size_t i = 0; i < k3.size(); ++i) QVERIFY(std::abs(k3[i] - expected3[i]) < 1e-12);
        // Trapezoid: y = x on [0, 1] has area 1/2, y = x² on 11 points 0.335.
        std::vector<double> x, y, y2;
        for (int i = 0; i <= 10; ++i) x.push_back(i / 10.0), y.push_back(i / 10.0), y2.push_back(i * i / 100.0);
        QVERIFY(std::abs(trapezoidArea(x, y) - 0.5) < 1e-12);
        QVERIFY(std::abs(trapezoidArea(x, y2) - 0.335) < 1e-12);
    }

    // Five frames of ten samples, frame f holding the value f + 1; the score is the clip's sum
    // minus 20. Every point of both curves written out by hand.
    void curvesAgainstDirectComputation() {
        const int T = 50, frame = 10;
        std::vector<float> clip(T);
        for (int i = 0; i < T; ++i) clip[size_t(i)] = float(i / frame + 1);
        auto score = [](const float* x) { return std::accumulate(x, x + 50, 0.0) / 10.0 - 10.0; };
        const auto logits = twoClass(score, T);
        CurveOptions o;
        o.step = 0.2;
        o.batchSize = 3;  // several batches, the last one partial
        const std::vector<int> order{4, 2, 0, 1, 3};
        const Curves c = perturbationCurves(logits, clip, 0, order, frame, o);
        QCOMPARE(c.fractions.size(), size_t(6));
        const double frameSum[5] = {10, 20, 30, 40, 50};
        double removed = 0;
        std::vector<double> del, ins;
        for (int p = 0; p <= 5; ++p) {
            if (p > 0) removed += frameSum[order[size_t(p - 1)]];
            del.push_back(sigmoid((150 - removed) / 10.0 - 10.0));
            ins.push_back(sigmoid(removed / 10.0 - 10.0));
        }
        for (int p = 0; p <= 5; ++p) {
            QVERIFY(std::abs(c.deletion[size_t(p)] - del[size_t(p)]) < 1e-6);
            QVERIFY(std::abs(c.insertion[size_t(p)] - ins[size_t(p)]) < 1e-6);
        }
        double aucDel = 0, aucIns = 0;
        for (int p = 1; p <= 5; ++p)
            aucDel += 0.1 * (del[size_t(p)] + del[size_t(p - 1)]), aucIns += 0.1 * (ins[size_t(p)] + ins[size_t(p - 1)]);
        QVERIFY(std::abs(c.aucDeletion - aucDel) < 1e-6);
        QVERIFY(std::abs(c.aucInsertion - aucIns) < 1e-6);
        QVERIFY(std::abs(c.deltaAF() - (aucIns - aucDel)) < 1e-6);

        // From a relevance map: frames ranked by summed relevance give the same order.
        std::vector<float> relevance(T);
        const float frameScore[5] = {3, 2, 4, 1, 5};  // ranks 4, 2, 0, 1, 3
        for (int i = 0; i < T; ++i) relevance[size_t(i)] = frameScore[i / frame] / frame;
        CurveOptions o2 = o;
        o2.frameMs = 10;
        const Curves fromMap = relevanceCurves(logits, clip, 0, relevance, 1000, o2);
        QCOMPARE(fromMap.deletion, c.deletion);

        // The random reference is the mean of its orders; its areas are the areas of the mean curves.
        o2.randomOrders = 8;
        const Curves random = randomReference(logits, clip, 0, 1000, o2);
        QVERIFY(std::abs(random.aucDeletion - trapezoidArea(random.fractions, random.deletion)) < 1e-9);
        QVERIFY(std::abs(random.aucInsertion - trapezoidArea(random.fractions, random.insertion)) < 1e-9);
        // The best order (largest frames first) bounds every order, the random mean included.
        const Curves best = perturbationCurves(logits, clip, 0, {4, 3, 2, 1, 0}, frame, o);
        QVERIFY(best.deltaAF() >= random.deltaAF());
        // The same seed gives the same reference.
        QCOMPARE(randomReference(logits, clip, 0, 1000, o2).deletion, random.deletion);
    }

    void baselines() {
        // The quietest 10% of 20 frames (two frames) have RMS 0.01; the rest 0.5.
        std::vector<float> clip(20 * 160, 0.5f);
        for (int i = 0; i < 2 * 160; ++i) clip[size_t(i)] = (i % 2 ? 0.01f : -0.01f);
        QVERIFY(std::abs(noiseFloor(clip, 160) - 0.01) < 1e-6);
        const auto noise = baselineSignal(clip, 160, Baseline::NoiseFloor, 3);
        double e = 0;
        for (float v : noise) e += double(v) * v;
        QVERIFY(std::abs(std::sqrt(e / noise.size()) - 0.01) < 0.001);
        QCOMPARE(baselineSignal(clip, 160, Baseline::NoiseFloor, 3), noise);
        for (float v : baselineSignal(clip, 160, Baseline::Zero, 3)) QCOMPARE(v, 0.f);
        // Digital silence still gets noise at -60 dBFS.
        QCOMPARE(noiseFloor(std::vector<float>(1600, 0.f), 160), 1e-3);
        QCOMPARE(baselineFromName("noise"), std::optional<Baseline>(Baseline::NoiseFloor));
        QVERIFY(!baselineFromName("pink"));
    }

    void localisationAgainstDirectComputation() {
        // Frames of 4: [0.5, 1, -1, 0 | 2, 2, -3, 0 | 0, 0.5, 0, 0]; word = samples [4, 8).
        const std::vector<float> r{0.5f, 1, -1, 0, 2, 2, -3, 0, 0, 0.5f, 0, 0};
        const Localisation l = localise(r, {4, 8}, 4);
        QVERIFY(std::abs(l.massAccuracy - 4.0 / 6.0) < 1e-12);
        QVERIFY(l.pointingHit);  // frame sums 0.5, 1, 0.5: the largest is frame 1, the word's
        QVERIFY(std::abs(l.intervalShare - 4.0 / 12.0) < 1e-12);
        const Localisation late = localise(r, {8, 12}, 4);
        QVERIFY(std::abs(late.massAccuracy - 0.5 / 6.0) < 1e-12);
        QVERIFY(!late.pointingHit);
        QVERIFY(localise(std::vector<float>(12, -1.f), {8, 12}, 4).massAccuracy == 0.0);
    }

    // Every bundled clip carries its word's interval, and it is where the clip is not silent
    // (the clips are the trimmed word padded with digital silence).
    void bundledClipsCarryTheirWord() {
        const auto clips = bundledClips();
        QCOMPARE(clips.size(), size_t(10));
        for (const auto& path : clips) {
            const auto word = readWordInterval(path);
            QVERIFY2(word, path.c_str());
            const auto x = loadAudio(path).samples;
            int64_t first = -1, last = -1;
            for (int64_t i = 0; i < int64_t(x.size()); ++i)
                if (x[size_t(i)] != 0.f) last = i, first = first < 0 ? i : first;
            QCOMPARE(word->start, first);
            QCOMPARE(word->end, last + 1);
        }
        // Round trip, absence, and a malformed file named in the error.
        QTemporaryDir dir;
        const std::string clip = (dir.path() + "/a.wav").toStdString();
        QVERIFY(!readWordInterval(clip));
        writeWordInterval(clip, {100, 900}, "yes");
        QCOMPARE(readWordInterval(clip)->end, int64_t(900));
        QFile f(QString::fromStdString(wordIntervalPath(clip)));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"start\": 5}");
        f.close();
        try {
            readWordInterval(clip);
            QFAIL("a malformed sidecar was accepted");
        } catch (const Error& e) {
            QVERIFY(QString(e.what()).contains("a.word.json"));
        }
    }

    void agreementAgainstDirectComputation() {
        const std::vector<double> a{5, 4, 3, 2, 1, 0}, b{0, 4, 5, 1, 2, 3};
        // top third: a {0, 1}, b {2, 1}: intersection 1, union 3.
        QVERIFY(std::abs(topFractionJaccard(a, b, 1.0 / 3) - 1.0 / 3) < 1e-12);
        QCOMPARE(topFractionJaccard(a, a, 0.5), 1.0);
        // At scale 2, the per-sample maps pool to a and b above.
        std::vector<float> sa, sb;
        for (size_t i = 0; i < a.size(); ++i) sa.insert(sa.end(), {float(a[i]) - 1, 1}), sb.insert(sb.end(), {0, float(b[i])});
        const Agreement g = agreementAt(sa, sb, 2, 1.0 / 3);
        QVERIFY(std::abs(g.spearman - directSpearman(a, b)) < 1e-6);
        double ma = 2.5, mb = 2.5, sab = 0, saa = 0, sbb = 0;
        for (size_t i = 0; i < a.size(); ++i) sab += (a[i] - ma) * (b[i] - mb), saa += (a[i] - ma) * (a[i] - ma), sbb += (b[i] - mb) * (b[i] - mb);
        QVERIFY(std::abs(g.pearson - sab / std::sqrt(saa * sbb)) < 1e-6);
        QVERIFY(std::abs(g.topJaccard - 1.0 / 3) < 1e-12);
    }

    // A classifier that listens only to samples [1600, 2400) (its logit is their energy):
    // occlusion over that window orders the frames so that deletion kills the probability at once
    // and insertion restores it at once, far better than random orders; all its relevance lies in
    // the window.
    void windowClassifierIsFoundByOcclusion() {
        const int64_t T = 4000, from = 1600, to = 2400;
        const auto clip = testClip(T, 3);
        double energy = 0;
        for (int64_t i = from; i < to; ++i) energy += double(clip[size_t(i)]) * clip[size_t(i)];
        auto score = [=](const float* x) {
            double e = 0;
            for (int64_t i = from; i < to; ++i) e += double(x[i]) * x[i];
            return 8.0 * e / energy - 4.0;
        };
        const auto logits = twoClass(score, T);
        // Occlusion written out: the score's drop when a 160-sample window is zeroed, spread over it.
        std::vector<float> occlusion(static_cast<size_t>(T), 0.f);
        for (int64_t s = 0; s < T; s += 160) {
            std::vector<float> x = clip;
            std::fill(x.begin() + s, x.begin() + s + 160, 0.f);
            const double drop = score(clip.data()) - score(x.data());
            for (int64_t i = s; i < s + 160; ++i) occlusion[size_t(i)] = float(drop / 160);
        }
        for (Baseline baseline : {Baseline::Zero, Baseline::NoiseFloor}) {
            CurveOptions o;
            o.baseline = baseline;
            const Curves c = relevanceCurves(logits, clip, 0, occlusion, 16000, o);
            const Curves random = randomReference(logits, clip, 0, 16000, o);
            qInfo("%s baseline: occlusion dAF %.3f (MoRF %.3f, LeRF %.3f), random %.3f", baselineName(baseline).c_str(),
                  c.deltaAF(), c.aucDeletion, c.aucInsertion, random.deltaAF());
            QVERIFY(c.deltaAF() > random.deltaAF() + 0.5);
        }
        const Localisation l = localise(occlusion, {from, to}, 160);
        QVERIFY(l.massAccuracy > 0.999);
        QVERIFY(l.pointingHit);
    }

    void randomisationCascadesFromTheDecoder() {
        const Model m = testModel();
        const auto layers = randomisationLayers(m.config());
        QCOMPARE(layers, (std::vector<std::string>{"decoder", "block 1", "block 0", "encoder"}));
        const auto original = m.stateDict();
        const Model two = randomisedModel(m, 2, 7);
        const auto changed = two.stateDict();
        QCOMPARE(changed.size(), original.size());
        for (size_t i = 0; i < original.size(); ++i) {
            const auto& key = original[i].first;
            const bool chosen = keyInLayer(key, "decoder") || keyInLayer(key, "block 1");
            QCOMPARE(changed[i].first, key);
            if (!chosen || original[i].second.values.size() < 2) {
                QCOMPARE(changed[i].second.values, original[i].second.values);
                continue;
            }
            QVERIFY2(changed[i].second.values != original[i].second.values, key.c_str());
        }
        QVERIFY(keyInLayer("norms.1.weight", "block 1"));
        QVERIFY(keyInLayer("s4_layers.0.kernel.C", "block 0"));
        QVERIFY(!keyInLayer("s4_layers.1.D", "block 0"));
        QVERIFY(keyInLayer("encoder.bias", "encoder"));
        // The cascade: step i+1 keeps step i's draws and adds one layer.
        const auto cascade = randomisationCascade(m, 7);
        QCOMPARE(cascade.models.size(), size_t(4));
        QCOMPARE(cascade.models[1].stateDict()[0].second.values, changed[0].second.values);
    }

    // |x| ignores the network: it fails. The gradient depends on every weight: it passes. The
    // similarities are Spearman's of the pooled |R| computed directly. The clip is stationary
    // noise: on a clip that is mostly silence, |gradient| is largest in the quiet frames whatever
    // the weights (LayerNorm divides by the small spread there), which survives randomisation
    // (0.83 on testClip); that is a finding about gradients on this architecture, reported by the
    // evaluation, not a property of the check.
    void edgeDetectorFailsGradientPasses() {
        const Model m = testModel();
        std::vector<float> clip(4000);
        std::mt19937 rng(4);
        std::normal_distribution<float> normal(0.f, 0.2f);
        for (auto& v : clip) v = normal(rng);
        const int64_t target = m.classify(clip).classIndex;
        const auto cascade = randomisationCascade(m, 11);
        Explainer edge = [](const Model&, const std::vector<float>& x, int64_t) {
            std::vector<float> r(x.size());
            for (size_t i = 0; i < x.size(); ++i) r[i] = std::abs(x[i]);
            return r;
        };
        const auto edgeCheck = randomisationCheck(cascade, clip, target, edge(m, clip, target), edge, 16000);
        for (double s : edgeCheck.similarity) QVERIFY(std::abs(s - 1.0) < 1e-9);
        QVERIFY(!edgeCheck.passed);

        ExplainRequest r;
        r.method = "gradient";
        const Explainer gradient = registryExplainer(r);
        const auto original = gradient(m, clip, target);
        const auto g = randomisationCheck(cascade, clip, target, original, gradient, 16000);
        QCOMPARE(g.similarity.size(), size_t(4));
        for (size_t i = 0; i < g.similarity.size(); ++i) {
            const auto now = gradient(cascade.models[i], clip, target);
            const double direct = directSpearman(poolFrames(original, 160, true), poolFrames(now, 160, true));
            QVERIFY2(std::abs(g.similarity[i] - direct) < 1e-4, qPrintable(QString("step %1: %2 vs %3").arg(i).arg(g.similarity[i]).arg(direct)));
        }
        qInfo("gradient similarity after each step: %.3f %.3f %.3f %.3f", g.similarity[0], g.similarity[1], g.similarity[2], g.similarity[3]);
        QVERIFY(g.passed);
        QVERIFY(g.finalSimilarity() < Randomisation::kPassBelow);
    }

    void lrpZeroConservesAtEveryLayer() {
        for (bool prenorm : {false, true}) {
            const Model m = testModel(prenorm, /*zeroBiases=*/true);
            const auto e = s4test::run(m, testClip(4000, 9), "lrp_z");
            QVERIFY(e.conservation);
            const auto layers = layerConservation(*e.conservation);
            QCOMPARE(layers.size(), e.conservation->layers.size());
            QVERIFY(layers.size() > 5);
            for (const auto& l : layers)
                QVERIFY2(l.relativeError < 1e-4, qPrintable(QString("prenorm=%1 %2: %3 vs %4").arg(prenorm)
                                                                 .arg(l.step.c_str()).arg(l.total).arg(e.conservation->expected)));
        }
    }

    // evaluateClip: the numbers are those of the metrics called one by one; progress rises to 1;
    // cancelling stops it.
    void clipEvaluationMatchesTheParts() {
        const Model m = testModel();
        const auto clip = testClip(4000, 5);
        EvaluationOptions o;
        o.word = Interval{1200, 2800};
        ExplainRequest g, lrp;
        g.method = "gradient_x_input";
        lrp.method = "lrp_epsilon";
        std::vector<double> progress;
        Control control;
        control.progress = [&](double f) { progress.push_back(f); };
        const ClipEvaluation ce = evaluateClip(m, clip, {g, lrp}, o, control);
        QCOMPARE(ce.target, m.classify(clip).classIndex);
        QCOMPARE(ce.methods.size(), size_t(2));
        QVERIFY(!progress.empty() && progress.back() == 1.0);
        for (size_t i = 1; i < progress.size(); ++i) QVERIFY(progress[i] >= progress[i - 1] - 1e-12);
        const auto logits = logitsOf(m);
        const Curves random = randomReference(logits, clip, ce.target, 16000, o.curves);
        QCOMPARE(ce.random.deletion, random.deletion);
        for (const auto& me : ce.methods) {
            const auto e = s4test::run(m, clip, me.method, {}, ce.target);
            QCOMPARE(me.relevance, e.relevance);
            const Curves c = relevanceCurves(logits, clip, ce.target, e.relevance, 16000, o.curves);
            QCOMPARE(me.curves.insertion, c.insertion);
            QCOMPARE(me.curves.aucDeletion, c.aucDeletion);
            const Localisation l = localise(e.relevance, *o.word, 160);
            QCOMPARE(me.localisation->massAccuracy, l.massAccuracy);
            QVERIFY(me.randomisation && me.randomisation->similarity.size() == 4);
        }
        QVERIFY(!ce.methods[0].conservation);
        QVERIFY(ce.methods[1].conservation && !ce.methods[1].conservation->layers.empty());

        std::atomic<bool> cancel{false};
        Control cancelling;
        cancelling.cancel = &cancel;
        cancelling.progress = [&](double f) {
            if (f > 0.3) cancel = true;
        };
        bool cancelled = false;
        try {
            evaluateClip(m, clip, {g, lrp}, o, cancelling);
        } catch (const Cancelled&) {
            cancelled = true;
        }
        QVERIFY(cancelled);
        // Bad input: a word interval outside the clip is an error naming it.
        o.word = Interval{3000, 5000};
        try {
            evaluateClip(m, clip, {g}, o);
            QFAIL("an interval outside the clip was accepted");
        } catch (const Error& e) {
            QVERIFY(QString(e.what()).contains("[3000, 5000)"));
        }
    }
};

QTEST_GUILESS_MAIN(TestEvaluation)
#include "test_evaluation.moc"
