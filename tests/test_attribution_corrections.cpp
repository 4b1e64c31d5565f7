// The attribution corrections of DESIGN.md §3 and the registry as data: sign-aware LRP-gamma against
// an independent float64 reference (dense matrices, the rule written out as DESIGN states it) and its
// conservation; the epsilon floor; occlusion refusing uncovered samples; Gauss-Legendre quadrature
// and integrated gradients' completeness on every bundled clip at the default steps; conservation
// figures in Explanation and in the JSON; composites and defaults as registry data.
#include <torch/torch.h>  // torch before Qt: Qt's `slots` macro breaks libtorch headers

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include "attribution/lrp.h"
#include "attribution/lrp_composites.h"
#include "attribution/lrp_maps.h"
#include "attribution/quadrature.h"
#include "model/model_impl.h"
#include "s4scope/attribution.h"
#include "s4scope/audio_io.h"
#include "attribution_fixtures.h"
#include "s4scope/explanation_io.h"

using namespace s4scope;

namespace {

using s4test::run;
using s4test::smallConfig;
using s4test::sum;
using s4test::testClip;
using s4test::testModel;

QString errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return {};
}

// A map's matrix (outputs x inputs) and bias, from its own forward (apply) on unit vectors.
std::pair<torch::Tensor, torch::Tensor> denseMatrix(const LinearMap& map, const torch::Tensor& x) {
    const int64_t n = x.numel();
    const auto bias = map.apply(torch::zeros_like(x), map.weights, map.bias).reshape({-1});
    std::vector<torch::Tensor> rows;  // of the transpose
    for (int64_t start = 0; start < n; start += 400) {
        const int64_t m = std::min<int64_t>(400, n - start);
        auto basis = torch::zeros({m, n}, x.options());
        basis.narrow(1, start, m).copy_(torch::eye(m, x.options()));
        auto shape = x.sizes().vec();
        shape[0] = m;
        rows.push_back(map.apply(basis.view(shape), map.weights, torch::Tensor()).reshape({m, -1}));
    }
    return {torch::cat(rows, 0).t().contiguous(), bias};
}

torch::Tensor stab(const torch::Tensor& d, double eps) { return d + eps * torch::where(d >= 0, 1.0, -1.0); }

// DESIGN.md §3's sign-aware LRP-gamma on a dense map z = W x + b, written out: W^ = W + gamma W+,
// Wv = W + gamma W- (biases alike); outputs z > 0 use z^ = W^ x+ + Wv x- + b^ and pass
// x+ (.) W^T s + x- (.) Wv^T s with s = R / stab(z^); outputs z < 0 the mirror; z = 0 nothing.
torch::Tensor signAwareGamma(const torch::Tensor& W, const torch::Tensor& b, const torch::Tensor& x,
                             const torch::Tensor& R, double gamma, double eps) {
    const auto xp = x.clamp_min(0), xn = x.clamp_max(0);
    const auto Wup = W + gamma * W.clamp_min(0), Wdown = W + gamma * W.clamp_max(0);
    const auto bup = b + gamma * b.clamp_min(0), bdown = b + gamma * b.clamp_max(0);
    const auto z = W.mv(x) + b;
    const auto zero = torch::zeros_like(R);
    const auto sUp = torch::where(z > 0, R / stab(Wup.mv(xp) + Wdown.mv(xn) + bup, eps), zero);
    const auto sDown = torch::where(z < 0, R / stab(Wdown.mv(xp) + Wup.mv(xn) + bdown, eps), zero);
    return xp * (Wup.t().mv(sUp) + Wdown.t().mv(sDown)) + xn * (Wdown.t().mv(sUp) + Wup.t().mv(sDown));
}

// The original LRP-gamma (W + gamma W+ for every output), which assumes non-negative inputs.
torch::Tensor originalGamma(const torch::Tensor& W, const torch::Tensor& b, const torch::Tensor& x,
                            const torch::Tensor& R, double gamma, double eps) {
    const auto Wup = W + gamma * W.clamp_min(0);
    const auto bup = b + gamma * b.clamp_min(0);
    return x * Wup.t().mv(R / stab(Wup.mv(x) + bup, eps));
}

}  // namespace

class TestAttributionCorrections : public QObject {
    Q_OBJECT
private slots:
    // Every linear map of the network, through its sign-split fast path and through the branch
    // formulation, against the reference in float64; and the reference differs from the original
    // rule on these inputs (LayerNorm outputs of both signs), so the test tells the two apart.
    void gammaMatchesTheSignAwareReference() {
        for (bool prenorm : {false, true}) {
            const Model m = testModel(prenorm);
            auto& net = *m.impl().module;
            net.to(torch::kDouble);
            auto clip = testClip(4000, 21);
            std::fill(clip.begin(), clip.begin() + 400, 0.f);  // silence: outputs that are exactly 0
            const auto x = torch::tensor(clip).view({1, 1, -1}).to(torch::kDouble);
            torch::NoGradGuard noGrad;
            ForwardTrace t;
            net.forward(x, Nonlinearities(), &t);
            const auto& b = t.blocks[0];
            const auto pooledInput = t.blocks.back().output;
            auto recorded = [](LinearMap map, const torch::Tensor& output) {
                map.output = output;
                return map;
            };
            // Not LayerNorm: its parameters are per-channel gains, not the entries of its (centring)
            // matrix, so weight modifiers do not act entry by entry there; every composite gives it
            // LRP-0 or epsilon.
            const std::vector<std::tuple<const char*, LinearMap, torch::Tensor>> maps = {
                {"encoder", recorded(encoderMap(net), t.encoded), t.input},
                {"S4 convolution", recorded(ssmMap(*net.blocks[0], b.u.size(-1)), b.y), b.u},
                {"1x1 conv", recorded(signalConvMap(*net.blocks[0]), b.a), b.g},
                {"mean pooling", recorded(meanPoolMap(pooledInput.size(-1)), t.pooled), pooledInput},
                {"decoder", recorded(decoderMap(net), t.logits), t.pooled},
            };
            torch::manual_seed(4);
            for (double gamma : {0.25, 2.0}) {
                const Rule fast = gammaRule(gamma);
                Rule branches = fast;
                branches.bySign.reset();
                QVERIFY(fast.bySign && fast.epsilon == 1e-6);
                for (const auto& [name, map, input] : maps) {
                    const auto R = torch::randn_like(map.output);
                    const auto [W, bias] = denseMatrix(map, input);
                    const auto expected = signAwareGamma(W, bias, input.reshape({-1}), R.reshape({-1}), gamma, 1e-6);
                    const double scale = expected.abs().max().item<double>();
                    QVERIFY2(scale > 0, name);
                    const QString what = QString("%1 (prenorm %2, gamma %3)").arg(name).arg(prenorm).arg(gamma);
                    for (const auto& [how, rule] : {std::pair<const char*, const Rule*>{"sign-split", &fast},
                                                    std::pair<const char*, const Rule*>{"branches", &branches}}) {
                        QVERIFY(map.signGroups);
                        const auto got = applyRule(*rule, map, input, R).reshape({-1});
                        const double err = (got - expected).abs().max().item<double>();
                        QVERIFY2(err <= 1e-9 * scale, qPrintable(QString("%1, %2: differs by %3 (scale %4)")
                                                                    .arg(what, how).arg(err).arg(scale)));
                    }
                    // Inputs of both signs (waveform, LayerNorm, GELU and pooled outputs): the
                    // original rule gives a different answer.
                    const auto original = originalGamma(W, bias, input.reshape({-1}), R.reshape({-1}), gamma, 1e-6);
                    QVERIFY2((original - expected).abs().max().item<double>() > 1e-3 * scale,
                             qPrintable(what + ": the original rule agrees, the test cannot tell them apart"));
                }
            }
        }
    }

    // Without biases sign-aware gamma conserves relevance neuron by neuron (its denominators never
    // pass through zero), alone and inside the composite; the original rule gave sum(R) = -236 for
    // a logit of 18.6 on the bundled model.
    void gammaConservesWithoutBiases() {
        for (bool prenorm : {false, true}) {
            const Model m = testModel(prenorm, /*zeroBiases=*/true);
            const auto clip = testClip(4000, 22);
            for (const auto& [method, params] : std::vector<std::pair<std::string, MethodParams>>{
                     {"lrp_gamma", {}}, {"lrp_gamma", {{"gamma", 2.0}}}, {"lrp_composite", {{"epsilon", 1e-6}}}}) {
                const auto e = run(m, clip, method, params);
                const double f = e.logits[e.target];
                QVERIFY2(std::abs(sum(e.relevance) - f) <= 1e-3 * std::abs(f),
                         qPrintable(QString("%1 prenorm=%2: sum %3 vs logit %4").arg(QString::fromStdString(method))
                                        .arg(prenorm).arg(sum(e.relevance)).arg(f)));
                // The explanation carries the same figure, step by step.
                QVERIFY(e.conservation);
                QCOMPARE(e.conservation->reference, std::string("target logit"));
                QCOMPARE(float(e.conservation->expected), float(f));
                QVERIFY(std::abs(e.conservation->total - sum(e.relevance)) <= 1e-9 * std::abs(f) + 1e-12);
                QCOMPARE(e.conservation->layers.size(), size_t(3 + 4 * 2 + 1));
                QCOMPARE(e.conservation->layers.front().first, std::string("logit"));
                QVERIFY(std::abs(e.conservation->layers.back().second - e.conservation->total) <= 1e-5 * std::abs(f));
                for (const auto& [step, total] : e.conservation->layers)
                    QVERIFY2(std::abs(total - f) <= 1e-3 * std::abs(f), step.c_str());
            }
        }
        // The bundled model (with biases) no longer explodes: the sum has the logit's sign and size.
        const Model bundled = Model::load(S4SCOPE_SOURCE_DIR "/resources/models");
        const auto yes = loadAudio(S4SCOPE_SOURCE_DIR "/resources/clips/yes.wav").samples;
        const auto e = run(bundled, yes, "lrp_gamma");
        const double f = e.logits[e.target];
        qInfo("lrp_gamma on yes.wav: %s", conservationSummary(*e.conservation).c_str());
        QVERIFY2(sum(e.relevance) > 0 && std::abs(sum(e.relevance) - f) <= 0.5 * std::abs(f),
                 qPrintable(QString("sum %1 vs logit %2").arg(sum(e.relevance)).arg(f)));
    }

    void epsilonHasAFloor() {
        // Parameters: epsilon below 1e-9 is refused, 1e-9 itself is accepted.
        for (const auto& info : attributionMethods())
            for (const auto& p : info.params)
                if (p.name == "epsilon") QCOMPARE(p.min, 1e-9);
        const Model m = testModel(false, /*zeroBiases=*/true);
        const auto clip = testClip(4000, 23);
        QVERIFY(errorOf([&] { run(m, clip, "lrp_epsilon", {{"epsilon", 0.0}}); }).contains("outside"));
        QVERIFY(errorOf([&] { run(m, clip, "lrp_flat", {{"epsilon", 1e-10}}); }).contains("outside"));
        const auto e = run(m, clip, "lrp_epsilon", {{"epsilon", 1e-9}});
        for (float r : e.relevance) QVERIFY(std::isfinite(r));
        // Rules: epsilon = 0 becomes the floor, and a zero output (zero input, no bias) divides by it
        // instead of by zero: relevance 0, not NaN.
        QCOMPARE(epsilonRule(0).epsilon, 1e-9);
        QCOMPARE(makeRule(rules::Sign{0.0, 0.0}).epsilon, 1e-9);
        QCOMPARE(makeRule(rules::Gamma{0.25, 0.0}).epsilon, 1e-9);
        auto& net = *m.impl().module;
        torch::NoGradGuard noGrad;
        auto decoder = decoderMap(net);
        const auto zeros = torch::zeros({1, 16});
        decoder.output = decoder.apply(zeros, decoder.weights, decoder.bias);
        QVERIFY(decoder.output.eq(0).all().item<bool>());
        const auto R = torch::randn_like(decoder.output);
        Rule unfloored = epsilonRule(0);
        unfloored.epsilon = 0;  // even set by hand, the quotient floors it
        for (const Rule& rule : {epsilonRule(0), unfloored}) {
            const auto r = applyRule(rule, decoder, zeros, R);
            QVERIFY(torch::isfinite(r).all().item<bool>());
            QVERIFY(r.eq(0).all().item<bool>());
        }
        const auto q = stabilisedQuotient(torch::ones({3}), torch::zeros({3}), 0.0);
        QCOMPARE(q[0].item<float>(), float(1 / 1e-9));
    }

    void occlusionRefusesUncoveredSamples() {
        const Model m = testModel();
        const auto clip = testClip(4000, 24);
        const QString message = errorOf([&] { run(m, clip, "occlusion", {{"window", 800}, {"stride", 1000}}); });
        QVERIFY2(message.contains("stride 1000") && message.contains("800") && message.contains("at most the window"),
                 qPrintable(message));
        // stride == window still covers every sample once.
        const auto e = run(m, clip, "occlusion", {{"window", 500}, {"stride", 500}});
        for (float r : e.relevance) QVERIFY(std::isfinite(r));
        // The bundled case from the issue: yes.wav, window 800, stride 1000.
        const Model bundled = Model::load(S4SCOPE_SOURCE_DIR "/resources/models");
        const auto yes = loadAudio(S4SCOPE_SOURCE_DIR "/resources/clips/yes.wav").samples;
        QVERIFY(errorOf([&] { run(bundled, yes, "occlusion", {{"window", 800}, {"stride", 1000}}); }).contains("stride 1000"));
    }

    void gaussLegendreIsExactForPolynomials() {
        const auto three = gaussLegendre(3);
        const double r = std::sqrt(3.0 / 5.0);
        QVERIFY(std::abs(three.nodes[0] - 0.5 * (1 - r)) < 1e-15 && std::abs(three.nodes[1] - 0.5) < 1e-15 &&
                std::abs(three.nodes[2] - 0.5 * (1 + r)) < 1e-15);
        QVERIFY(std::abs(three.weights[0] - 5.0 / 18) < 1e-15 && std::abs(three.weights[1] - 8.0 / 18) < 1e-15);
        for (int n : {1, 2, 5, 8, 16, 64, 256, 1000, 4096}) {
            const auto q = gaussLegendre(n);
            QCOMPARE(int(q.nodes.size()), n);
            QVERIFY(std::is_sorted(q.nodes.begin(), q.nodes.end()));
            QVERIFY(q.nodes.front() > 0 && q.nodes.back() < 1);
            // The integral of a^k over [0, 1] is 1/(k + 1) for every k <= 2n - 1 (checked up to 40).
            for (int k = 0; k <= std::min(2 * n - 1, 40); ++k) {
                double integral = 0;
                for (int i = 0; i < n; ++i) integral += q.weights[i] * std::pow(q.nodes[i], k);
                QVERIFY2(std::abs(integral - 1.0 / (k + 1)) < 1e-12,
                         qPrintable(QString("n %1, k %2: %3").arg(n).arg(k).arg(integral, 0, 'g', 17)));
            }
        }
        // One node more than exact: n = 2 misses a^4 (1/5) by the known 1/180.
        const auto two = gaussLegendre(2);
        double a4 = 0;
        for (int i = 0; i < 2; ++i) a4 += two.weights[i] * std::pow(two.nodes[i], 4);
        QVERIFY(std::abs((0.2 - a4) - 1.0 / 180) < 1e-12);
    }

    // DESIGN.md §3: the default number of steps keeps integrated gradients' completeness error
    // (sum R vs f(x) - f(baseline)) within 5% on every bundled clip (22% on yes.wav with the old
    // midpoint rule at 64 steps). The figure the explanation carries is that error.
    void integratedGradientsCompleteOnEveryBundledClip() {
        const Model model = Model::load(S4SCOPE_SOURCE_DIR "/resources/models");
        const QStringList clips = QDir(S4SCOPE_SOURCE_DIR "/resources/clips").entryList({"*.wav"}, QDir::Files, QDir::Name);
        QCOMPARE(clips.size(), 10);
        const std::vector<float> silence(model.config().seq_len, 0.f);
        double worst = 0;
        for (const QString& name : clips) {
            const auto clip = loadAudio((S4SCOPE_SOURCE_DIR "/resources/clips/" + name).toStdString()).samples;
            const auto e = run(model, clip, "integrated_gradients");
            QCOMPARE(e.params.at("steps"), methodInfo("integrated_gradients").params[0].defaultValue);
            const double delta = e.logits[e.target] - model.logits(silence)[e.target];
            const double error = std::abs(sum(e.relevance) - delta) / std::abs(delta);
            qInfo("%s: %s", qPrintable(name), conservationSummary(*e.conservation).c_str());
            QVERIFY(e.conservation && e.conservation->reference == "f(x) - f(baseline)");
            QVERIFY(std::abs(e.conservation->expected - delta) <= 1e-4 * std::abs(delta));
            QVERIFY(std::abs(e.conservation->relativeError() - error) <= 1e-4);
            QVERIFY2(error <= 0.05, qPrintable(QString("%1: completeness error %2%").arg(name).arg(100 * error)));
            worst = std::max(worst, error);
        }
        qInfo("worst completeness error at %g steps: %.2f%%", methodInfo("integrated_gradients").params[0].defaultValue,
              100 * worst);
    }

    void deepLiftCarriesItsConservationFigure() {
        const Model m = testModel();
        const auto clip = testClip(4000, 25);
        const auto e = run(m, clip, "deeplift", {{"baseline", 0.05}}, 2);
        const double delta = e.logits[2] - m.logits(std::vector<float>(4000, 0.05f))[2];
        QVERIFY(e.conservation && e.conservation->reference == "f(x) - f(baseline)");
        QVERIFY(std::abs(e.conservation->expected - delta) <= 1e-4 * std::max(1.0, std::abs(delta)));
        QVERIFY(e.conservation->relativeError() <= 1e-3 * std::max(1.0, 1 / std::abs(delta)));
        // Methods without a conservation property carry none.
        QVERIFY(!run(m, clip, "gradient").conservation);
        QVERIFY(!run(m, clip, "occlusion").conservation);
    }

    void conservationFigureInTheJson() {
        const Model m = testModel();
        const auto clip = testClip(4000, 26);
        ExplanationRecord record{run(m, clip, "lrp_alpha2_beta1"), clip, 16000, m.config().labels, "clip", "model"};
        const auto j = QJsonDocument::fromJson(QByteArray::fromStdString(explanationJson(record))).object();
        const auto c = j["conservation"].toObject();
        QCOMPARE(c["reference"].toString(), QString("target logit"));
        QCOMPARE(c["expected"].toDouble(), record.explanation.conservation->expected);
        QCOMPARE(c["total"].toDouble(), record.explanation.conservation->total);
        QCOMPARE(c["relative_error"].toDouble(), record.explanation.conservation->relativeError());
        const auto layers = c["layers"].toArray();
        QCOMPARE(layers.size(), 12);
        QCOMPARE(layers[0].toObject()["step"].toString(), QString("logit"));
        QCOMPARE(layers[11].toObject()["step"].toString(), QString("encoder (input)"));
        record.explanation = run(m, clip, "deeplift");  // a figure without steps
        const auto d = QJsonDocument::fromJson(QByteArray::fromStdString(explanationJson(record))).object();
        QCOMPARE(d["conservation"].toObject()["reference"].toString(), QString("f(x) - f(baseline)"));
        QVERIFY(!d["conservation"].toObject().contains("layers"));
        record.explanation = run(m, clip, "gradient");
        QVERIFY(!QJsonDocument::fromJson(QByteArray::fromStdString(explanationJson(record))).object().contains("conservation"));
    }

    // What the app used to guess from id strings is registry data now.
    void registryAnswersWhatTheAppGuessed() {
        QVERIFY(defaultMethod().singlePass);
        QCOMPARE(defaultMethod().family, MethodFamily::LRP);
        for (const auto& id : defaultComparison()) QVERIFY(!methodInfo(id).id.empty());
        QVERIFY(defaultComparison().size() >= 2);
        QStringList multiPass;
        for (const auto& info : attributionMethods())
            if (!info.singlePass) multiPass << QString::fromStdString(info.id);
        QCOMPARE(multiPass, QStringList({"integrated_gradients", "smoothgrad", "smoothgrad_squared", "vargrad", "occlusion"}));
        // Every LRP method is a composite built by name, and nothing else is.
        QStringList lrp, composites;
        for (const auto& info : attributionMethods())
            if (info.family == MethodFamily::LRP) lrp << QString::fromStdString(info.id);
        for (const auto& c : lrpComposites()) composites << QString::fromStdString(c.info.id);
        QCOMPARE(lrp, composites);
        QCOMPARE(lrp.size(), 11);
    }

    // Composites are data: which rule each map gets, built from the parameters.
    void compositesAreBuiltByName() {
        auto entry = [](const std::string& id) {
            for (const auto& c : lrpComposites())
                if (c.info.id == id) return c;
            throw Error("no composite " + id);
        };
        const auto rules = entry("lrp_composite").rules({{"epsilon", 0.5}, {"gamma", 0.75}});
        QCOMPARE(QString::fromStdString(describe(rules.encoder)), QString("ZPlus"));
        QCOMPARE(QString::fromStdString(describe(rules.body)), QString("Epsilon{0.5}"));
        QCOMPARE(QString::fromStdString(describe(*rules.earlyBlocks)), QString("Gamma{0.75}"));
        const Composite c = buildComposite(rules, 3);  // early blocks: the first ceil(3/2) = 2
        QCOMPARE(c.ruleFor(LayerKind::Encoder, -1).name, std::string("LRP-z+"));
        for (int64_t block : {0, 1}) {
            const Rule& r = c.ruleFor(LayerKind::Ssm, block);
            QCOMPARE(r.name, std::string("LRP-gamma"));
            QVERIFY(r.bySign && r.bySign->denominators == Rule::BySign::Denominators::OutputSign && r.bySign->gamma == 0.75);
            QCOMPARE(c.ruleFor(LayerKind::OutputConv, block).name, std::string("LRP-gamma"));
        }
        QCOMPARE(c.ruleFor(LayerKind::Ssm, 2).name, std::string("LRP-epsilon"));
        QCOMPARE(c.ruleFor(LayerKind::Ssm, 2).epsilon, 0.5);
        QCOMPARE(c.ruleFor(LayerKind::Norm, 0).name, std::string("LRP-epsilon"));
        QCOMPARE(c.ruleFor(LayerKind::Decoder, -1).name, std::string("LRP-epsilon"));
        QCOMPARE(c.residualEpsilon, 0.5);
        const auto sign = entry("lrp_epsilon_sign").rules({{"epsilon", 0.01}, {"mu", 0.2}});
        QCOMPARE(QString::fromStdString(describe(sign.encoder)), QString("Sign{0.2, 0.01}"));
    }
};

QTEST_GUILESS_MAIN(TestAttributionCorrections)
#include "test_attribution_corrections.moc"
