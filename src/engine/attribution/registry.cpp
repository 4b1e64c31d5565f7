// The method registry (as Captum lists its methods): each entry is an id, how it is shown, its
// parameters with defaults and ranges, and the function that computes it. Adding a method is one
// entry here plus its function.
#include <chrono>
#include <cmath>

#include "attribution/gradients.h"
#include "attribution/lrp.h"
#include "attribution/other_methods.h"
#include "model/runtime.h"

namespace s4scope {
namespace {

// What a method does with explain()'s first forward pass, which decides how that pass runs.
enum class FirstPass {
    Differentiated,  // gradients of it: recorded with its autograd graph
    Read,            // its recorded values only (LRP, occlusion): everything under c10::InferenceMode
    Unused,          // the method runs its own differentiable passes
};
// Single-clip methods are dispatch-bound: there a second OpenMP thread (woken for every GEMM,
// or for alpha-beta's branches run concurrently) cost more than it saved: LRP-alpha2-beta1
// 5.6-6.0 ms on one thread against 7.3-8.0 ms on two, interleaved runs. Batches use every thread.
enum class Threads { One, All };

struct Entry {
    MethodInfo info;
    AttributionFn run;
    FirstPass firstPass;
    Threads threads;
};


const ParamSpec kMu{"mu", 0.0, -1.0, 1.0, false, "SIGN threshold: inputs >= mu count as +1, others as -1"};
const ParamSpec kEpsilon{"epsilon", 0.01, 0.0, 100.0, false, "stabiliser added to every denominator (absorbs weak, contradictory relevance)"};
const ParamSpec kGamma{"gamma", 0.25, 0.0, 100.0, false, "weight of the positive parameters: W + gamma W+"};
const ParamSpec kBaseline{"baseline", 0.0, -1.0, 1.0, false, "constant reference signal (0 = silence)"};
const ParamSpec kSamples{"samples", 32, 1, 4096, true, "number of noisy copies of the clip"};
const ParamSpec kSigma{"sigma", 0.1, 0.0, 10.0, false, "noise standard deviation, as a fraction of the clip's peak-to-peak range"};

const std::vector<Entry>& entries() {
    using F = MethodFamily;
    static const std::vector<Entry> table = {
        {{"gradient", "Gradient", F::Gradient, "d f / d x: sensitivity of the target logit to each sample", {}}, gradient, FirstPass::Differentiated, Threads::One},
        {{"gradient_x_input", "Gradient x Input", F::Gradient, "x * d f / d x", {}}, gradientXInput, FirstPass::Differentiated, Threads::One},
        {{"gradient_x_sign", "Gradient x SIGN", F::Gradient, "sign_mu(x) * d f / d x (Gumpfer et al. 2023)", {kMu}}, gradientXSign, FirstPass::Differentiated, Threads::One},
        {{"guided_backprop", "Guided Backprop", F::Gradient, "gradient passing only positive gradient through GELUs with positive input", {}}, guidedBackprop, FirstPass::Unused, Threads::One},
        {{"integrated_gradients", "Integrated Gradients", F::Gradient, "(x - baseline) * mean gradient along the straight path from the baseline",
          {{"steps", 64, 1, 4096, true, "points on the path (midpoint rule)"}, kBaseline}}, integratedGradients, FirstPass::Unused, Threads::All},
        {{"smoothgrad", "SmoothGrad", F::SmoothGrad, "mean gradient over noisy copies of the clip", {kSamples, kSigma}}, smoothGrad, FirstPass::Unused, Threads::All},
        {{"smoothgrad_squared", "SmoothGrad²", F::SmoothGrad, "mean squared gradient over noisy copies", {kSamples, kSigma}}, smoothGradSquared, FirstPass::Unused, Threads::All},
        {{"vargrad", "VarGrad", F::SmoothGrad, "variance of the gradient over noisy copies", {kSamples, kSigma}}, varGrad, FirstPass::Unused, Threads::All},
        {{"deeplift", "DeepLIFT", F::Other, "DeepLIFT rescale rule against a constant baseline; sums to f(x) - f(baseline)", {kBaseline}}, deepLift, FirstPass::Unused, Threads::One},
        {{"gradcam", "Grad-CAM", F::Other, "ReLU of gradient-weighted channels of an S4 block's output, upsampled to samples",
          {{"layer", -1, -64, 63, true, "S4 block whose output is used (-1 = the last)"}}}, gradCam, FirstPass::Differentiated, Threads::One},
        {{"occlusion", "Occlusion", F::Other, "drop of the target logit when a sliding window is set to the baseline",
          {{"window", 800, 1, 16000000, true, "window length in samples"},
           {"stride", 160, 1, 16000000, true, "step between windows in samples"}, kBaseline}}, occlusion, FirstPass::Read, Threads::All},
        {{"lrp_z", "LRP-0", F::LRP, "LRP-0 in every layer", {}}, lrpZ, FirstPass::Read, Threads::One},
        {{"lrp_epsilon", "LRP-ε", F::LRP, "LRP-epsilon in every layer", {kEpsilon}}, lrpEpsilon, FirstPass::Read, Threads::One},
        {{"lrp_gamma", "LRP-γ", F::LRP, "LRP-gamma in every layer (favours positive contributions)", {kGamma}}, lrpGamma, FirstPass::Read, Threads::One},
        {{"lrp_alpha1_beta0", "LRP-α1β0", F::LRP, "LRP-alpha-beta with alpha 1, beta 0", {}}, lrpAlpha1Beta0, FirstPass::Read, Threads::One},
        {{"lrp_alpha2_beta1", "LRP-α2β1", F::LRP, "LRP-alpha-beta with alpha 2, beta 1", {}}, lrpAlpha2Beta1, FirstPass::Read, Threads::One},
        {{"lrp_zplus", "LRP-z⁺", F::LRP, "positive contributions only, biases ignored", {}}, lrpZPlus, FirstPass::Read, Threads::One},
        {{"lrp_flat", "LRP-ε + flat", F::LRP, "LRP-epsilon in the body, flat rule in the input layer", {kEpsilon}}, lrpFlat, FirstPass::Read, Threads::One},
        {{"lrp_w_square", "LRP-ε + w²", F::LRP, "LRP-epsilon in the body, w-square rule in the input layer", {kEpsilon}}, lrpWSquare, FirstPass::Read, Threads::One},
        {{"lrp_epsilon_sign", "LRP-ε + SIGN", F::LRP, "LRP-epsilon in the body, SIGN rule in the input layer", {kEpsilon, kMu}}, lrpEpsilonSign, FirstPass::Read, Threads::One},
        {{"lrp_z_sign", "LRP-0 + SIGN", F::LRP, "LRP-0 in the body, SIGN rule in the input layer", {kMu}}, lrpZSign, FirstPass::Read, Threads::One},
        {{"lrp_composite", "LRP composite", F::LRP, "z+ in the encoder, gamma in the early blocks, epsilon in later blocks and the decoder",
          {kEpsilon, kGamma}}, lrpComposite, FirstPass::Read, Threads::One},
    };
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
    if (e.threads == Threads::One) oneThread.emplace(1);
    const auto x = model.impl().inputTensor(clip.data(), 1).requires_grad_(true);
    static const Nonlinearities standard;
    ForwardTrace trace;
    net->forward(x, standard, &trace);
    const auto logits = trace.logits.detach();
    const int64_t target = request.target >= 0 ? request.target : logits[0].argmax().item<int64_t>();
    const AttributionContext ctx{*net, x, trace, logits, target, params, request.seed, request};
    const auto relevance = e.run(ctx).detach().to(torch::kFloat).contiguous();
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
    return out;
}

}  // namespace s4scope
