// Attribution methods pinned by properties a wrong implementation fails: finite differences,
// LRP-0 = gradient x input of the gate-detached network, conservation (overall and layer by
// layer), completeness of integrated gradients, DeepLIFT's summation to delta, occlusion by
// direct evaluation, SIGN identities, determinism, and every method through the CLI.
#include <torch/torch.h>  // torch before Qt: Qt's `slots` macro breaks libtorch headers

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "attribution/lrp.h"
#include "attribution/lrp_maps.h"
#include "attribution/nonlinearities.h"
#include "model/model_impl.h"
#include "s4scope/attribution.h"
#include "s4scope/audio_io.h"
#include "attribution_fixtures.h"
#include "test_support.h"

using namespace s4scope;

namespace {

using s4test::run;
using s4test::smallConfig;
using s4test::sum;
using s4test::testClip;
using s4test::testModel;

double maxAbs(const std::vector<float>& v) {
    double m = 0;
    for (float f : v) m = std::max(m, double(std::abs(f)));
    return m;
}

torch::Tensor clipTensor(const std::vector<float>& clip) {
    return torch::tensor(clip).view({1, 1, -1});
}

double logit(const Model& m, const std::vector<float>& clip, int64_t target) { return m.logits(clip)[target]; }

// Gradient x input of the network whose gates, LayerNorm scales and GELU ratios are held constant.
std::vector<float> detachedGradientTimes(const Model& m, const std::vector<float>& clip, int64_t target,
                                         const std::function<torch::Tensor(const torch::Tensor&)>& factor) {
    static const DetachedGates detached;
    const auto x = clipTensor(clip).requires_grad_(true);
    const auto logits = m.impl().module->forward(x, detached);
    const auto g = torch::autograd::grad({logits[0][target]}, {x})[0];
    const auto r = (factor(x.detach()) * g).contiguous();
    return std::vector<float>(r.data_ptr<float>(), r.data_ptr<float>() + r.numel());
}

}  // namespace

class TestAttribution : public QObject {
    Q_OBJECT
private slots:
    void registryHasAllMethods() {
        const char* ids[] = {"gradient", "gradient_x_input", "gradient_x_sign", "guided_backprop",
                             "integrated_gradients", "smoothgrad", "smoothgrad_squared", "vargrad", "deeplift",
                             "gradcam", "occlusion", "lrp_z", "lrp_epsilon", "lrp_gamma", "lrp_alpha1_beta0",
                             "lrp_alpha2_beta1", "lrp_zplus", "lrp_flat", "lrp_w_square", "lrp_epsilon_sign",
                             "lrp_z_sign", "lrp_composite"};
        QCOMPARE(attributionMethods().size(), size_t(22));
        for (const char* id : ids) {
            const auto& info = methodInfo(id);
            QVERIFY(!info.displayName.empty() && !info.summary.empty());
            for (const auto& p : info.params) {
                QVERIFY(p.min <= p.defaultValue && p.defaultValue <= p.max);
                QVERIFY(!p.help.empty());
            }
        }
    }

    void gradientMatchesFiniteDifferences() {
        const Model m = testModel();
        const auto clip = testClip(4000);
        const auto e = run(m, clip, "gradient");
        // Central differences on a float64 copy of the same network.
        Model dbl = testModel();
        auto& net = *dbl.impl().module;
        net.to(torch::kDouble);
        const auto x = clipTensor(clip).to(torch::kDouble);
        torch::NoGradGuard g;
        const double h = 1e-4, scale = maxAbs(e.relevance);
        QVERIFY(scale > 0);
        std::mt19937 rng(3);
        for (int k = 0; k < 24; ++k) {
            const int64_t i = std::uniform_int_distribution<int64_t>(0, 3999)(rng);
            auto plus = x.clone(), minus = x.clone();
            plus[0][0][i] += h;
            minus[0][0][i] -= h;
            const double fd = (net.forward(plus)[0][e.target].item<double>() - net.forward(minus)[0][e.target].item<double>()) / (2 * h);
            QVERIFY2(std::abs(fd - e.relevance[i]) <= 1e-3 * scale + 1e-7,
                     qPrintable(QString("sample %1: gradient %2, finite difference %3").arg(i).arg(e.relevance[i]).arg(fd)));
        }
    }

    void lrpZEqualsDetachedGradientTimesInput_data() {
        QTest::addColumn<bool>("prenorm");
        QTest::newRow("postnorm") << false;
        QTest::newRow("prenorm") << true;
    }
    void lrpZEqualsDetachedGradientTimesInput() {
        QFETCH(bool, prenorm);
        const Model m = testModel(prenorm);
        const auto clip = testClip(4000, 2);
        for (int64_t target : {int64_t(0), int64_t(3), int64_t(-1)}) {
            const auto e = run(m, clip, "lrp_z", {}, target);
            const auto gxi = detachedGradientTimes(m, clip, e.target, [](const torch::Tensor& x) { return x; });
            QVERIFY2(s4test::maxAbsDiff(e.relevance, gxi) <= 1e-3 * maxAbs(gxi),
                     qPrintable(QString("max diff %1 of %2").arg(s4test::maxAbsDiff(e.relevance, gxi)).arg(maxAbs(gxi))));
        }
    }

    void conservationWithoutBiases_data() {
        QTest::addColumn<QString>("method");
        QTest::addColumn<double>("tolerance");
        // Without biases every rule below maps the output relevance onto its inputs exactly, up to
        // float32 rounding and the stabilisers (1e-9, or epsilon = 1e-6): 1e-3 of the logit covers
        // rounding over ~10 chained maps. The alpha-beta family can only lose relevance where a
        // neuron has no contribution of one sign (none here with continuous inputs), so it gets the same bound.
        QTest::newRow("lrp_z") << "lrp_z" << 1e-3;
        QTest::newRow("lrp_epsilon") << "lrp_epsilon" << 1e-3;
        QTest::newRow("lrp_alpha1_beta0") << "lrp_alpha1_beta0" << 1e-3;
        QTest::newRow("lrp_alpha2_beta1") << "lrp_alpha2_beta1" << 1e-3;
        QTest::newRow("lrp_zplus") << "lrp_zplus" << 1e-3;
        QTest::newRow("lrp_flat") << "lrp_flat" << 1e-3;
        QTest::newRow("lrp_w_square") << "lrp_w_square" << 1e-3;
    }
    void conservationWithoutBiases() {
        QFETCH(QString, method);
        QFETCH(double, tolerance);
        for (bool prenorm : {false, true}) {
            const Model m = testModel(prenorm, /*zeroBiases=*/true);
            const auto clip = testClip(4000, 3);
            MethodParams params;
            if (methodInfo(method.toStdString()).params.size()) params["epsilon"] = 1e-6;
            const auto e = run(m, clip, method.toStdString(), params);
            const double f = e.logits[e.target];
            QVERIFY2(std::abs(sum(e.relevance) - f) <= tolerance * std::abs(f),
                     qPrintable(QString("%1 prenorm=%2: sum %3 vs logit %4").arg(method).arg(prenorm).arg(sum(e.relevance)).arg(f)));
        }
    }

    // Each map's hand-written adjoint (what LRP uses instead of autograd) is the vector-Jacobian
    // product of its own apply, for the map's weights and for modified ones.
    void mapAdjointsAreVectorJacobianProducts() {
        for (bool prenorm : {false, true}) {
            const Model m = testModel(prenorm);
            auto& net = *m.impl().module;
            net.to(torch::kDouble);
            const auto x = clipTensor(testClip(4000, 6)).to(torch::kDouble);
            ForwardTrace t;
            {
                torch::NoGradGuard g;
                static const Nonlinearities standard;
                net.forward(x, standard, &t);
            }
            const auto& b = t.blocks[1];
            const std::vector<std::pair<const char*, std::pair<LinearMap, torch::Tensor>>> maps = {
                {"encoder", {encoderMap(net), t.input}},
                {"S4 convolution", {ssmMap(*net.blocks[1], b.u.size(-1)), b.u}},
                {"1x1 conv", {signalConvMap(*net.blocks[1]), b.g}},
                {"layer norm", {layerNormMap(net.layerNorms[1], b.sum), b.sum}},
                {"mean pooling", {meanPoolMap(b.output.size(-1)), b.output}},
                {"decoder", {decoderMap(net), t.pooled}},
            };
            for (const auto& [name, mapAndInput] : maps) {
                const auto& [map, input] = mapAndInput;
                for (bool positiveWeights : {false, true}) {
                    std::vector<torch::Tensor> w;
                    for (const auto& t0 : map.weights) w.push_back(positiveWeights ? t0.clamp_min(0) : t0);
                    torch::AutoGradMode enable(true);
                    const auto in = input.detach().clone().requires_grad_(true);
                    const auto z = map.apply(in, w, torch::Tensor());
                    const auto s = torch::randn_like(z);
                    const auto vjp = torch::autograd::grad({z}, {in}, {s})[0];
                    const auto adj = map.adjoint(s, w);
                    const double err = (adj - vjp).abs().max().item<double>(), scale = vjp.abs().max().item<double>();
                    QVERIFY2(err <= 1e-10 * std::max(1.0, scale),
                             qPrintable(QString("%1 (prenorm %2, W+ %3): adjoint differs by %4 (scale %5)")
                                            .arg(name).arg(prenorm).arg(positiveWeights).arg(err).arg(scale)));
                }
            }
        }
    }

    // alpha1-beta0 and z+ skip their zero-coefficient group where it has nothing to take over,
    // including where both groups are empty (all-zero input frames): the relevance must be the
    // same as with that group always evaluated.
    void skippedZeroGroupsChangeNothing() {
        const Model m = testModel(false, true);
        auto clip = testClip(4000, 5);
        std::fill(clip.begin(), clip.begin() + 1000, 0.f);  // digital silence: all-zero encoder frames
        const auto x = clipTensor(clip);
        auto& net = *m.impl().module;
        torch::NoGradGuard noGrad;
        ForwardTrace t;
        net.forward(x, Nonlinearities(), &t);
        for (const Rule& rule : {alphaBetaRule(1, 0), zPlusRule()}) {
            Rule always = rule;
            always.bySign.reset();
            for (int64_t i = 0; i < int64_t(t.blocks.size()); ++i) {
                const auto& b = t.blocks[i];
                auto map = ssmMap(*net.blocks[i], b.u.size(-1));
                map.output = b.y;
                map.signGroups = nullptr;  // the branch formulation both ways
                const auto R = torch::randn_like(b.y);
                const auto fast = applyRule(rule, map, b.u, R), full = applyRule(always, map, b.u, R);
                QVERIFY2(torch::equal(fast, full),
                         qPrintable(QString("%1, block %2: differs by %3").arg(QString::fromStdString(rule.name))
                                        .arg(i).arg((fast - full).abs().max().item<double>())));
            }
        }
    }

    // alpha-beta and z+ through maps that sum their terms by sign (all but LayerNorm) against the
    // four-branch formulation, in float64 (only the order of summation differs), map by map and
    // through the whole network, with silence (empty groups) in the clip.
    void signGroupsMatchTheBranchFormulation() {
        for (bool prenorm : {false, true}) {
            const Model m = testModel(prenorm);
            auto& net = *m.impl().module;
            net.to(torch::kDouble);
            auto clip = testClip(4000, 7);
            std::fill(clip.begin(), clip.begin() + 800, 0.f);
            const auto x = clipTensor(clip).to(torch::kDouble);
            torch::NoGradGuard noGrad;
            ForwardTrace t;
            net.forward(x, Nonlinearities(), &t);
            for (const Rule& rule : {alphaBetaRule(2, 1), alphaBetaRule(1, 0), zPlusRule(), alphaBetaRule(3, 2)}) {
                Rule branches = rule;
                branches.bySign.reset();
                const QString name = QString::fromStdString(rule.name) + (prenorm ? " prenorm" : " postnorm");
                auto check = [&](const QString& what, const torch::Tensor& fast, const torch::Tensor& slow) {
                    const double err = (fast - slow).abs().max().item<double>(), scale = slow.abs().max().item<double>();
                    QVERIFY2(scale > 0 && err <= 1e-9 * scale,
                             qPrintable(QString("%1, %2: differs by %3 (scale %4)").arg(name, what).arg(err).arg(scale)));
                };
                auto encoder = encoderMap(net);
                encoder.output = t.encoded;
                QVERIFY(encoder.signGroups);
                const auto Re = torch::randn_like(t.encoded);
                check("encoder", applyRule(rule, encoder, t.input, Re), applyRule(branches, encoder, t.input, Re));
                const auto& b = t.blocks[1];
                auto conv = signalConvMap(*net.blocks[1]);
                conv.output = b.a;
                QVERIFY(conv.signGroups);
                const auto Rc = torch::randn_like(b.a);
                check("1x1 conv", applyRule(rule, conv, b.g, Rc), applyRule(branches, conv, b.g, Rc));
                auto ssm = ssmMap(*net.blocks[1], b.u.size(-1));
                ssm.output = b.y;
                QVERIFY(ssm.signGroups);
                const auto Rs = torch::randn_like(b.y);
                check("S4 convolution", applyRule(rule, ssm, b.u, Rs), applyRule(branches, ssm, b.u, Rs));
                const auto pooledInput = t.blocks.back().output;
                auto pool = meanPoolMap(pooledInput.size(-1));
                pool.output = t.pooled;
                QVERIFY(pool.signGroups);
                const auto Rp = torch::randn_like(t.pooled);
                check("mean pooling", applyRule(rule, pool, pooledInput, Rp), applyRule(branches, pool, pooledInput, Rp));
                auto decoder = decoderMap(net);
                decoder.output = t.logits;
                QVERIFY(decoder.signGroups);
                const auto Rd = torch::randn_like(t.logits);
                check("decoder", applyRule(rule, decoder, t.pooled, Rd), applyRule(branches, decoder, t.pooled, Rd));
                for (int64_t target : {0, 3})
                    check(QString("network, target %1").arg(target),
                          lrpBackward(net, t, target, uniformComposite(rule, zeroRule(), 1e-9)).relevance,
                          lrpBackward(net, t, target, uniformComposite(branches, zeroRule(), 1e-9)).relevance);
            }
        }
    }

    void conservationLayerByLayer() {
        for (bool prenorm : {false, true}) {
            const Model m = testModel(prenorm, true);
            const auto x = clipTensor(testClip(4000, 4));
            auto& net = m.impl().module;
            const std::vector<std::pair<QString, Composite>> composites = {
                {"LRP-0", uniformComposite(zeroRule(), zeroRule(), 1e-9)},
                {"LRP-eps", uniformComposite(epsilonRule(1e-8), epsilonRule(1e-8), 1e-9)},
                {"alpha2beta1", uniformComposite(alphaBetaRule(2, 1), zeroRule(), 1e-9)},
                {"z+", uniformComposite(zPlusRule(), zeroRule(), 1e-9)}};
            for (const auto& [name, composite] : composites) {
                const auto result = lrpBackward(*net, x, 2, composite);
                const double f = result.trace.front().second;
                QCOMPARE(result.trace.size(), size_t(3 + 4 * 2 + 1));  // logit, decoder, pool, 4 per block, encoder
                for (size_t i = 1; i < result.trace.size(); ++i) {
                    const auto& [step, total] = result.trace[i];
                    QVERIFY2(std::abs(total - result.trace[i - 1].second) <= 1e-4 * std::abs(f),
                             qPrintable(QString("%1 prenorm=%2 at %3: %4 after %5").arg(name).arg(prenorm)
                                            .arg(QString::fromStdString(step)).arg(total).arg(result.trace[i - 1].second)));
                }
            }
        }
    }

    void integratedGradientsCompleteness() {
        const Model m = testModel();
        const auto clip = testClip(4000, 5);
        const auto e = run(m, clip, "integrated_gradients");
        QCOMPARE(e.params.at("steps"), 64.0);
        const double delta = e.logits[e.target] - logit(m, std::vector<float>(4000, 0.f), e.target);
        QVERIFY2(std::abs(sum(e.relevance) - delta) <= 0.01 * std::abs(delta),
                 qPrintable(QString("sum %1 vs f(x) - f(0) = %2").arg(sum(e.relevance)).arg(delta)));
    }

    void deepLiftSumsToDelta() {
        for (bool prenorm : {false, true}) {
            const Model m = testModel(prenorm);
            const auto clip = testClip(4000, 6);
            for (double baseline : {0.0, 0.05}) {
                const auto e = run(m, clip, "deeplift", {{"baseline", baseline}}, 1);
                const double delta = e.logits[1] - logit(m, std::vector<float>(4000, float(baseline)), 1);
                QVERIFY2(std::abs(sum(e.relevance) - delta) <= 1e-3 * std::max(1.0, std::abs(delta)),
                         qPrintable(QString("prenorm=%1 baseline=%2: sum %3 vs delta %4").arg(prenorm).arg(baseline)
                                        .arg(sum(e.relevance)).arg(delta)));
                // DeepLIFT is not the gradient: a rescale rule that silently fell back to it would pass
                // summation only by luck, so check it differs from gradient x input here.
                const auto gxi = run(m, clip, "gradient_x_input", {}, 1);
                QVERIFY(s4test::maxAbsDiff(e.relevance, gxi.relevance) > 1e-4 * maxAbs(gxi.relevance) || baseline != 0.0);
            }
        }
    }

    void occlusionEqualsDirectEvaluation() {
        const Model m = testModel();
        const auto clip = testClip(4000, 7);
        const auto e = run(m, clip, "occlusion", {{"window", 400}, {"stride", 400}, {"baseline", 0}}, 4);
        const double f = e.logits[4];
        for (int64_t w = 0; w < 10; ++w) {
            auto occluded = clip;
            std::fill(occluded.begin() + w * 400, occluded.begin() + (w + 1) * 400, 0.f);
            const double drop = f - logit(m, occluded, 4);
            for (int64_t i = w * 400; i < (w + 1) * 400; i += 57)
                QVERIFY2(std::abs(e.relevance[i] - drop) <= 1e-5 + 1e-4 * std::abs(drop),
                         qPrintable(QString("window %1: %2 vs %3").arg(w).arg(e.relevance[i]).arg(drop)));
        }
        // Overlapping windows average the drops of every window covering a sample.
        const auto o = run(m, clip, "occlusion", {{"window", 800}, {"stride", 400}}, 4);
        auto first = clip, second = clip;
        std::fill(first.begin(), first.begin() + 800, 0.f);
        std::fill(second.begin() + 400, second.begin() + 1200, 0.f);
        const double expected = 0.5 * ((f - logit(m, first, 4)) + (f - logit(m, second, 4)));
        QVERIFY(std::abs(o.relevance[600] - expected) <= 1e-5 + 1e-4 * std::abs(expected));
    }

    void gradcamIsNonNegativePerSample() {
        const Model m = testModel();
        const auto clip = testClip(4000, 8);
        for (double layer : {-1.0, 0.0}) {
            const auto e = run(m, clip, "gradcam", {{"layer", layer}});
            QCOMPARE(e.relevance.size(), size_t(4000));
            QVERIFY(*std::min_element(e.relevance.begin(), e.relevance.end()) >= 0.f);
            QVERIFY(maxAbs(e.relevance) > 0);
            // Constant within each encoder step of 40 samples.
            QCOMPARE(e.relevance[40], e.relevance[79]);
        }
    }

    void smoothgradFamilyIdentities() {
        const Model m = testModel();
        const auto clip = testClip(4000, 9);
        const auto g = run(m, clip, "gradient");
        const auto sg0 = run(m, clip, "smoothgrad", {{"sigma", 0.0}, {"samples", 4}});
        QVERIFY(s4test::maxAbsDiff(sg0.relevance, g.relevance) <= 1e-6 * maxAbs(g.relevance));
        // vargrad = E[g^2] - E[g]^2 over the same noise draws.
        const MethodParams p{{"samples", 8}, {"sigma", 0.1}};
        const auto sg = run(m, clip, "smoothgrad", p, -1, 42), sq = run(m, clip, "smoothgrad_squared", p, -1, 42),
                   var = run(m, clip, "vargrad", p, -1, 42);
        double err = 0;
        for (size_t i = 0; i < clip.size(); ++i)
            err = std::max(err, std::abs(double(var.relevance[i]) - (sq.relevance[i] - double(sg.relevance[i]) * sg.relevance[i])));
        QVERIFY2(err <= 1e-3 * maxAbs(sq.relevance), qPrintable(QString::number(err)));
        QVERIFY(s4test::maxAbsDiff(sg.relevance, g.relevance) > 0);  // the noise did something
    }

    void signVariantsEqualTheirDefinitions() {
        const Model m = testModel();
        const auto clip = testClip(4000, 10);
        const double mu = 0.02;
        auto signMu = [mu](const torch::Tensor& x) { return torch::where(x >= mu, 1.0, -1.0).to(x.dtype()); };
        // gradient x SIGN = sign_mu(x) * gradient
        const auto g = run(m, clip, "gradient");
        const auto gs = run(m, clip, "gradient_x_sign", {{"mu", mu}});
        for (size_t i = 0; i < clip.size(); ++i) QCOMPARE(gs.relevance[i], (clip[i] >= mu ? 1.f : -1.f) * g.relevance[i]);
        // LRP-0 + SIGN = sign_mu(x) * gradient of the gate-detached network (body LRP-0 = detached gradient).
        const auto zs = run(m, clip, "lrp_z_sign", {{"mu", mu}});
        const auto expected = detachedGradientTimes(m, clip, zs.target, signMu);
        QVERIFY2(s4test::maxAbsDiff(zs.relevance, expected) <= 1e-3 * maxAbs(expected),
                 qPrintable(QString::number(s4test::maxAbsDiff(zs.relevance, expected))));
        // LRP-eps + SIGN only swaps the input-layer numerator: R_sign * x = R_eps * sign_mu(x).
        const auto es = run(m, clip, "lrp_epsilon_sign", {{"mu", mu}, {"epsilon", 0.01}});
        const auto ee = run(m, clip, "lrp_epsilon", {{"epsilon", 0.01}});
        double err = 0;
        for (size_t i = 0; i < clip.size(); ++i)
            err = std::max(err, std::abs(double(es.relevance[i]) * clip[i] - ee.relevance[i] * (clip[i] >= mu ? 1.0 : -1.0)));
        QVERIFY2(err <= 1e-5 * maxAbs(es.relevance), qPrintable(QString::number(err)));
    }

    void everyMethodIsDeterministic() {
        const Model m = testModel();
        const auto clip = testClip(4000, 11);
        for (const auto& info : attributionMethods()) {
            const auto a = run(m, clip, info.id, {}, -1, 7), b = run(m, clip, info.id, {}, -1, 7);
            QVERIFY2(a.relevance == b.relevance, info.id.c_str());
            QCOMPARE(a.relevance.size(), clip.size());
            for (float r : a.relevance) QVERIFY2(std::isfinite(r), info.id.c_str());
        }
        const auto s1 = run(m, clip, "smoothgrad", {}, -1, 1), s2 = run(m, clip, "smoothgrad", {}, -1, 2);
        QVERIFY(s1.relevance != s2.relevance);
    }

    void progressAndCancellation() {
        const Model m = testModel();
        const auto clip = testClip(4000, 12);
        std::vector<double> seen;
        ExplainRequest r;
        r.method = "integrated_gradients";
        r.params = {{"steps", 256}};
        r.progress = [&](double f) { seen.push_back(f); };
        explain(m, clip, r);
        QVERIFY(seen.size() >= 8);
        QVERIFY(std::is_sorted(seen.begin(), seen.end()));
        QCOMPARE(seen.back(), 1.0);

        std::atomic<bool> cancel{false};
        int calls = 0;
        r.params = {{"steps", 4096}};
        r.cancel = &cancel;
        r.progress = [&](double) {
            if (++calls == 2) cancel = true;
        };
        QVERIFY_THROWS_EXCEPTION(Cancelled, explain(m, clip, r));
        QCOMPARE(calls, 2);  // stopped at the next batch boundary, not after all 128 batches
    }

    void badRequestsAreClearErrors() {
        const Model m = testModel();
        const auto clip = testClip(4000);
        auto message = [&](ExplainRequest r) -> QString {
            try {
                explain(m, clip, r);
            } catch (const Error& e) {
                return e.what();
            }
            return {};
        };
        ExplainRequest r;
        r.method = "saliency";
        QVERIFY(message(r).contains("unknown attribution method 'saliency'"));
        r.method = "lrp_epsilon";
        r.params = {{"gama", 1}};
        QVERIFY(message(r).contains("no parameter 'gama'"));
        r.params = {{"epsilon", -1}};
        QVERIFY(message(r).contains("outside"));
        r.method = "integrated_gradients";
        r.params = {{"steps", 2.5}};
        QVERIFY(message(r).contains("whole number"));
        r.params = {};
        r.target = 10;
        QVERIFY(message(r).contains("target class 10"));
    }

    void everyMethodThroughTheCli() {
        QTemporaryDir dir;
        Model::initialised(smallConfig(), 3).save(dir.filePath("small.pt").toStdString());
        s4scope::writeWav(dir.filePath("clip.wav").toStdString(), testClip(4000), 16000);
        for (const auto& info : attributionMethods()) {
            const QString out = dir.filePath(QString::fromStdString(info.id) + ".json");
            QProcess p;
            p.start(S4SCOPE_CLI, {"explain", "--model", dir.filePath("small_config.json"), "--input",
                                  dir.filePath("clip.wav"), "--method", QString::fromStdString(info.id), "--output", out});
            QVERIFY(p.waitForFinished(120000));
            QVERIFY2(p.exitCode() == 0, qPrintable(QString::fromStdString(info.id) + ": " + p.readAllStandardError()));
            QFile f(out);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const auto j = QJsonDocument::fromJson(f.readAll()).object();
            QCOMPARE(j["method"].toString(), QString::fromStdString(info.id));
            const auto relevance = j["relevance"].toArray();
            QCOMPARE(relevance.size(), 4000);
            for (const auto& v : relevance) QVERIFY2(v.isDouble() && std::isfinite(v.toDouble()), info.id.c_str());
            QCOMPARE(j["logits"].toArray().size(), 10);
            QVERIFY(j["params"].isObject() && j["elapsed_ms"].toDouble() > 0 && j.contains("target"));
        }
        // NPY and CSV carry the same relevance; --target and --param reach the method.
        QProcess p;
        for (const QString ext : {"npy", "csv"}) {
            p.start(S4SCOPE_CLI, {"explain", "--model", dir.filePath("small.pt"), "--input", dir.filePath("clip.wav"),
                                  "--method", "lrp_epsilon", "--target", "3", "--param", "epsilon=0.5", "--output",
                                  dir.filePath("r." + ext)});
            QVERIFY(p.waitForFinished(60000) && p.exitCode() == 0);
        }
        p.start(S4SCOPE_CLI, {"explain", "--model", dir.filePath("small.pt"), "--input", dir.filePath("clip.wav"),
                              "--method", "lrp_epsilon", "--target", "3", "--param", "epsilon=0.5", "--output",
                              dir.filePath("r.json")});
        QVERIFY(p.waitForFinished(60000) && p.exitCode() == 0);
        QFile jf(dir.filePath("r.json"));
        QVERIFY(jf.open(QIODevice::ReadOnly));
        const auto j = QJsonDocument::fromJson(jf.readAll()).object();
        QCOMPARE(j["target"].toInt(), 3);
        QCOMPARE(j["params"].toObject()["epsilon"].toDouble(), 0.5);
        const auto npy = s4test::readFloats(dir.filePath("r.npy"));
        QCOMPARE(npy.size(), size_t(4000 + 128 / 4));  // 128-byte header (10 + dict, padded to 64) + data
        QCOMPARE(double(npy[32 + 100]), j["relevance"].toArray()[100].toDouble());
        QFile csv(dir.filePath("r.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const auto lines = csv.readAll().split('\n');
        QCOMPARE(lines[0], QByteArray("sample,time_s,amplitude,relevance"));
        QCOMPARE(float(lines[101].split(',')[3].toDouble()), float(j["relevance"].toArray()[100].toDouble()));
        // Bad usage: a clear message, a non-zero exit.
        p.start(S4SCOPE_CLI, {"explain", "--model", dir.filePath("small.pt"), "--input", dir.filePath("clip.wav"),
                              "--method", "nope", "--output", dir.filePath("x.json")});
        QVERIFY(p.waitForFinished(60000));
        QVERIFY(p.exitCode() != 0 && p.readAllStandardError().contains("unknown attribution method 'nope'"));
    }
};

QTEST_GUILESS_MAIN(TestAttribution)
#include "test_attribution.moc"
