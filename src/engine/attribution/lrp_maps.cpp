#include "attribution/lrp_maps.h"

#include "model/causal_conv.h"
#include "model/channel_norm.h"

namespace s4scope {
namespace {

// The first `steps` time steps (the last dimension) of x; all when steps < 0.
torch::Tensor firstSteps(const torch::Tensor& x, int64_t steps) { return steps < 0 ? x : x.narrow(-1, 0, steps); }

}  // namespace

LinearMap encoderMap(S4ClassifierImpl& net) {
    LinearMap map{{net.encoderWeight()}, net.encoderBias(),
                  [](const torch::Tensor& x, const std::vector<torch::Tensor>& w, const torch::Tensor& b) {
                      return encodeFrames(x, w[0], b);
                  },
                  [](const torch::Tensor& s, const std::vector<torch::Tensor>& w) { return encodeFramesAdjoint(s, w[0]); }};
    // As a dense map over frames: x (B,1,T) viewed as (B,S,L), frame l being samples lS .. lS+S-1.
    const auto W = net.encoderWeight().select(1, 0);  // (H,S)
    const int64_t S = W.size(1);
    auto frames = [S](const torch::Tensor& x) { return x.reshape({x.size(0), -1, S}).transpose(1, 2); };
    map.signGroups = [W, frames](const torch::Tensor& x, WhichGroups which, int64_t steps) {
        return signGroups(W, firstSteps(frames(x), steps), which);
    };
    map.signGroupsAdjoint = [W, frames](const torch::Tensor& x, const torch::Tensor& p, const torch::Tensor& n) {
        return signGroupsAdjoint(W, frames(x), p, n).transpose(1, 2).reshape(x.sizes());
    };
    return map;
}

LinearMap ssmMap(S4BlockImpl& block, int64_t L) {
    // A causal Toeplitz map: the entries of its matrix are K[h, l-j] for j < l and K[h,0] + D[h]
    // on the diagonal, so D is folded into the first tap and the rule's weight modifiers act on
    // exactly the map's entries. The direct convolution keeps zero contributions exactly zero and
    // modified taps (the flat rule's ones) stay causal.
    auto K = block.kernelModule().kernel(L).clone();
    K.select(1, 0).add_(block.D());
    LinearMap map{{K}, torch::Tensor(),
                  [](const torch::Tensor& x, const std::vector<torch::Tensor>& w, const torch::Tensor&) {
                      return causalConv(x, w[0]);
                  },
                  [](const torch::Tensor& s, const std::vector<torch::Tensor>& w) { return causalConvAdjoint(s, w[0]); }};
    // K split by sign on first use (most rules never ask), then shared by both directions.
    auto split = std::make_shared<SignSplitKernel>();
    auto splitK = [split, K]() -> const SignSplitKernel& {
        if (!split->tiles.defined() && !split->positive.defined()) *split = splitKernelBySign(K);
        return *split;
    };
    map.signGroups = [splitK](const torch::Tensor& x, WhichGroups which, int64_t steps) {
        return causalConvSignGroups(firstSteps(x, steps), splitK(), which);
    };
    map.signGroupsAdjoint = [splitK](const torch::Tensor& x, const torch::Tensor& p, const torch::Tensor& n) {
        return causalConvSignGroupsAdjoint(x, splitK(), p, n);
    };
    return map;
}

LinearMap signalConvMap(S4BlockImpl& block) {
    const int64_t H = block.D().size(0);
    LinearMap map{{block.outputWeight().narrow(0, 0, H)}, block.outputBias().narrow(0, 0, H),
                  [](const torch::Tensor& x, const std::vector<torch::Tensor>& w, const torch::Tensor& b) {
                      return pointwiseConv(x, w[0], b);
                  },
                  [](const torch::Tensor& s, const std::vector<torch::Tensor>& w) { return pointwiseConvAdjoint(s, w[0]); }};
    const auto W = map.weights[0].select(2, 0);  // (H,H)
    map.signGroups = [W](const torch::Tensor& x, WhichGroups which, int64_t steps) {
        return signGroups(W, firstSteps(x, steps), which);
    };
    map.signGroupsAdjoint = [W](const torch::Tensor& x, const torch::Tensor& p, const torch::Tensor& n) {
        return signGroupsAdjoint(W, x, p, n);
    };
    return map;
}

LinearMap layerNormMap(const torch::nn::LayerNorm& norm, const torch::Tensor& input) {
    // Per time step over channels: x -> w (.) (x - mean(x)) / sigma + b. The centring is symmetric,
    // so the adjoint is centre(w (.) s / sigma).
    const auto inverseSigma = channelLayerNorm(input.detach(), {}, {}, norm->options.eps()).inverseSigma;  // (B,1,L)
    return {{norm->weight}, norm->bias,
            [inverseSigma](const torch::Tensor& x, const std::vector<torch::Tensor>& w, const torch::Tensor& b) {
                auto y = (x - x.mean(1, true)) * inverseSigma * w[0].view({1, -1, 1});
                return b.defined() ? y + b.view({1, -1, 1}) : y;
            },
            [inverseSigma](const torch::Tensor& s, const std::vector<torch::Tensor>& w) {
                return centredScaledChannels(s, w[0], inverseSigma);
            }};
}

LinearMap meanPoolMap(int64_t L) {
    // Written as a scalar weight times the mean so weight modifiers (W+, W^2, 1) have a weight to act on.
    LinearMap map{{torch::ones({1})}, torch::Tensor(),
                  [](const torch::Tensor& x, const std::vector<torch::Tensor>& w, const torch::Tensor&) {
                      return x.mean(-1) * w[0];
                  },
                  [L](const torch::Tensor& s, const std::vector<torch::Tensor>& w) {
                      return (s * w[0] / double(L)).unsqueeze(-1).expand({s.size(0), s.size(1), L});
                  }};
    // Every weight is +1/L: the positive terms are x+ / L, the negative ones x- / L.
    map.signGroups = [L](const torch::Tensor& x, WhichGroups which, int64_t) {
        SignGroups g;
        if (which != WhichGroups::Negative) g.positive = x.clamp_min(0).sum(-1).div_(double(L));
        if (which != WhichGroups::Positive) g.negative = x.clamp_max(0).sum(-1).div_(double(L));
        return g;
    };
    map.signGroupsAdjoint = [L](const torch::Tensor& x, const torch::Tensor& p, const torch::Tensor& n) {
        const auto forNegative = n.defined() ? n.unsqueeze(-1).expand_as(x) : torch::zeros_like(x);
        return combineBySign(x, p.unsqueeze(-1).expand_as(x), forNegative).div_(double(L));
    };
    return map;
}

LinearMap decoderMap(S4ClassifierImpl& net) {
    LinearMap map{{net.decoder->weight}, net.decoder->bias,
                  [](const torch::Tensor& x, const std::vector<torch::Tensor>& w, const torch::Tensor& b) {
                      return torch::linear(x, w[0], b);
                  },
                  [](const torch::Tensor& s, const std::vector<torch::Tensor>& w) { return torch::mm(s, w[0]); }};
    // A dense map with a single step: x (B,H) as (B,H,1).
    const auto W = net.decoder->weight;
    map.signGroups = [W](const torch::Tensor& x, WhichGroups which, int64_t) {
        auto g = signGroups(W, x.unsqueeze(-1), which);
        for (auto* t : {&g.positive, &g.negative})
            if (t->defined()) *t = t->squeeze(-1);
        return g;
    };
    map.signGroupsAdjoint = [W](const torch::Tensor& x, const torch::Tensor& p, const torch::Tensor& n) {
        return signGroupsAdjoint(W, x.unsqueeze(-1), p.unsqueeze(-1), n.defined() ? n.unsqueeze(-1) : n).squeeze(-1);
    };
    return map;
}

}  // namespace s4scope
