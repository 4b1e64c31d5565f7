// The method registry (as Captum lists its methods): each entry is an id, how it is shown, its
// parameters with defaults and ranges, whether it is single-pass, and the function that computes
// it. Adding a method is one entry here plus its function; an LRP method is one entry in
// lrp_composites.cpp instead.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iterator>

#include "attribution/gradients.h"
#include "attribution/lrp_composites.h"
#include "attribution/other_methods.h"
#include "attribution/param_specs.h"
#include "model/runtime.h"

namespace s4scope {
namespace {

// What a method does with explain()'s first forward pass, which decides how that pass runs.
enum class FirstPass {
    Differentiated,  // gradients of it: recorded with its autograd graph
    Read,            // its recorded values only (LRP, occlusion): everything under c10::InferenceMode
    Unused,          // the method runs its own differentiable passes
};

// Single-pass methods (MethodInfo::singlePass) run on one thread: they are dispatch-bound, and a
// second OpenMP thread (woken for every GEMM, or for alpha-beta's branches run concurrently) cost
// more than it saved (LRP-alpha2-beta1 5.6-6.0 ms on one thread against 7.3-8.0 ms on two,
// interleaved runs). Multi-pass methods split their batches over every thread.
struct Entry {
    MethodInfo info;
    AttributionFn run;
    FirstPass firstPass;
};

// The registry's choices for a new session.
const char* const kDefaultMethod = "lrp_epsilon";
const char* const kDefaultComparison[] = {"gradient", "integrated_gradients", "smoothgrad", "lrp_epsilon", "lrp_composite"};

// Gauss-Legendre nodes: the default keeps the completeness error of every bundled clip under 5%
// (tests/test_attribution_corrections.cpp measures it; the midpoint rule at 64 steps was 22% off on yes.wav).
const ParamSpec kIntegratedGradientsSteps{"steps", 64, 1, 4096, true, "points on the path (Gauss-Legendre nodes and weights)"};

MethodInfo multiPass(MethodInfo info) {
    info.singlePass = false;
    return info;
}

const std::vector<Entry>& entries() {
    using F = MethodFamily;
    using namespace params;
    static const std::vector<Entry> table = [] {
        std::vector<Entry> t = {
            {{"gradient", "Gradient", F::Gradient, "d f / d x: sensitivity of the target logit to each sample", {}}, gradient, FirstPass::Differentiated},
            {{"gradient_x_input", "Gradient x Input", F::Gradient, "x * d f / d x", {}}, gradientXInput, FirstPass::Differentiated},
            {{"gradient_x_sign", "Gradient x SIGN", F::Gradient, "sign_mu(x) * d f / d x (Gumpfer et al. 2023)", {kMu}}, gradientXSign, FirstPass::Differentiated},
            {{"guided_backprop", "Guided Backprop", F::Gradient, "gradient passing only positive gradient through GELUs with positive input", {}}, guidedBackprop, FirstPass::Unused},
            {multiPass({"integrated_gradients", "Integrated Gradients", F::Gradient,
                        "(x - baseline) * mean gradient along the straight path from the baseline; sums to f(x) - f(baseline)",
                        {kIntegratedGradientsSteps, kBaseline}}), integratedGradients, FirstPass::Unused},
            {multiPass({"smoothgrad", "SmoothGrad", F::SmoothGrad, "mean gradient over noisy copies of the clip", {kSamples, kSigma}}), smoothGrad, FirstPass::Unused},
            {multiPass({"smoothgrad_squared", "SmoothGrad²", F::SmoothGrad, "mean squared gradient over noisy copies", {kSamples, kSigma}}), smoothGradSquared, FirstPass::Unused},
            {multiPass({"vargrad", "VarGrad", F::SmoothGrad, "variance of the gradient over noisy copies", {kSamples, kSigma}}), varGrad, FirstPass::Unused},
            {{"deeplift", "DeepLIFT", F::Other, "DeepLIFT rescale rule against a constant baseline; sums to f(x) - f(baseline)", {kBaseline}}, deepLift, FirstPass::Unused},
            {{"gradcam", "Grad-CAM", F::Other, "ReLU of gradient-weighted channels of an S4 block's output, upsampled to samples",
              {{"layer", -1, -64, 63, true, "S4 block whose output is used (-1 = the last)"}}}, gradCam, FirstPass::Differentiated},
            {multiPass({"occlusion", "Occlusion", F::Other, "drop of the target logit when a sliding window is set to the baseline",
                        {{"window", 800, 1, 16000000, true, "window length in samples"},
                         {"stride", 160, 1, 16000000, true, "step between windows in samples (at most the window: every sample is covered)"},
                         kBaseline}}), occlusion, FirstPass::Read},
        };
        for (const auto& c : lrpComposites()) t.push_back({c.info, lrpMethod, FirstPass::Read});
        return t;
    }();
    return table;
}

const Entry& entry(const std::string& id) {
    for (const auto& e : entries())
        if (e.info.id == id) return e;
    std::string known;
    for (const auto& e : entries()) known += (known.empty() ? "" : ", ") + e.info.id;
    throw Error("unknown attribution method '" + id + "' (known: " + known + ")");
}

MethodParams completeParams(const MethodInfo& info, const MethodParams& given) {
    MethodParams params;
    for (const auto& spec : info.params) params[spec.name] = spec.defaultValue;
    for (const auto& [name, value] : given) {
        auto it = std::find_if(info.params.begin(), info.params.end(), [&](const ParamSpec& p) { return p.name == name; });
        if (it == info.params.end()) {
            std::string known;
            for (const auto& p : info.params) known += (known.empty() ? "" : ", ") + p.name;
            throw Error(info.id + " has no parameter '" + name + "'" + (known.empty() ? " (it takes none)" : " (it takes " + known + ")"));
        }
        if (!std::isfinite(value) || value < it->min || value > it->max)
            throw Error(info.id + ": '" + name + "' = " + std::to_string(value) + " is outside " +
                        std::to_string(it->min) + " .. " + std::to_string(it->max));
        if (it->integer && value != std::floor(value))
            throw Error(info.id + ": '" + name + "' must be a whole number, got " + std::to_string(value));
        params[name] = value;
    }
    return params;
}

}  // namespace

std::string familyName(MethodFamily family) {
    switch (family) {
    case MethodFamily::Gradient: return "gradient";
    case MethodFamily::SmoothGrad: return "smoothgrad";
    case MethodFamily::LRP: return "LRP";
    case MethodFamily::Other: return "other";
    }
    return "other";
}

const std::vector<MethodInfo>& attributionMethods() {
    static const std::vector<MethodInfo> infos = [] {
        std::vector<MethodInfo> v;
        for (const auto& e : entries()) v.push_back(e.info);
        return v;
    }();
    return infos;
}

const MethodInfo& methodInfo(const std::string& id) { return entry(id).info; }

const MethodInfo& defaultMethod() { return methodInfo(kDefaultMethod); }

std::vector<std::string> defaultComparison() {
    return std::vector<std::string>(std::begin(kDefaultComparison), std::end(kDefaultComparison));
}

double Conservation::relativeError() const {
    const double error = std::abs(total - expected);
    return expected != 0 ? error / std::abs(expected) : error;
}

std::string conservationSummary(const Conservation& c) {
    char line[256];
    std::snprintf(line, sizeof line, "sum of relevance %.4g vs %s %.4g (%.2g%% off)", c.total, c.reference.c_str(),
                  c.expected, 100.0 * c.relativeError());
    return line;
}

Explanation explain(const Model& model, const std::vector<float>& clip, const ExplainRequest& request) {
    const Entry& e = entry(request.method);
    const MethodParams params = completeParams(e.info, request.params);
    auto& net = model.impl().module;
    const int64_t T = net->config.seq_len, C = net->config.n_classes;
    if (static_cast<int64_t>(clip.size()) != T)
        throw Error("the clip has " + std::to_string(clip.size()) + " samples; the model takes " + std::to_string(T));
    if (request.target < -1 || request.target >= C)
        throw Error("target class " + std::to_string(request.target) + " is outside 0.." + std::to_string(C - 1));

    const auto start = std::chrono::steady_clock::now();
    // One forward pass serves the logits, the target, and the single-pass methods: gradients and
    // Grad-CAM differentiate its graph, LRP reads its recorded values (no graph needed).
    torch::AutoGradMode enableGrad(e.firstPass == FirstPass::Differentiated);
    c10::optional<c10::InferenceMode> inference;
    if (e.firstPass == FirstPass::Read) inference.emplace();
    c10::optional<OpenMpThreads> oneThread;
    if (e.info.singlePass) oneThread.emplace(1);
    const auto x = model.impl().inputTensor(clip.data(), 1).requires_grad_(true);
    static const Nonlinearities standard;
    ForwardTrace trace;
    net->forward(x, standard, &trace);
    const auto logits = trace.logits.detach();
    const int64_t target = request.target >= 0 ? request.target : logits[0].argmax().item<int64_t>();
    const AttributionContext ctx{*net, x, trace, logits, target, params, request.seed, request};
    MethodResult result = e.run(ctx);
    const auto relevance = result.relevance.detach().to(torch::kFloat).contiguous();
    const auto stop = std::chrono::steady_clock::now();

    Explanation out;
    out.method = e.info.id;
    out.target = target;
    out.relevance.assign(relevance.data_ptr<float>(), relevance.data_ptr<float>() + relevance.numel());
    const auto l = logits.contiguous();
    out.logits.assign(l.data_ptr<float>(), l.data_ptr<float>() + l.numel());
    out.params = params;
    out.elapsedMs = std::chrono::duration<double, std::milli>(stop - start).count();
    if (static_cast<int64_t>(out.relevance.size()) != T)
        throw Error(e.info.id + " produced " + std::to_string(out.relevance.size()) + " values for " + std::to_string(T) + " samples");
    if (result.conservation) {
        out.conservation = std::move(result.conservation);
        out.conservation->total = 0;
        for (float r : out.relevance) out.conservation->total += r;
    }
    return out;
}

}  // namespace s4scope
