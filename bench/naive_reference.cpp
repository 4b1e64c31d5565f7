#include "naive_reference.h"

#include "model/s4d_kernel.h"

namespace s4bench {

torch::Tensor naiveForward(s4scope::S4ClassifierImpl& net, const torch::Tensor& clip) {
    auto x = net.encoder->forward(clip);
    const int64_t L = x.size(-1);
    for (size_t i = 0; i < net.blocks.size(); ++i) {
        auto& b = *net.blocks[i];
        auto& k = *b.kernel;
        const auto K = s4scope::s4dKernel(k.log_dt, k.C, k.log_A_real, k.A_imag, L);  // every call
        auto norm = [&](const torch::Tensor& t) { return net.layerNorms[i]->forward(t.transpose(1, 2)).transpose(1, 2); };
        const auto u = net.config.prenorm ? norm(x) : x;
        const auto y = s4scope::fftCausalConvolution(u, K) + u * b.D().unsqueeze(-1);
        const auto z = torch::glu(b.outputConv->forward(torch::gelu(y)), 1);
        x = net.config.prenorm ? z + x : norm(z + x);
    }
    return net.decoder->forward(x.mean(-1));
}

torch::Tensor naiveGradient(s4scope::S4ClassifierImpl& net, const torch::Tensor& clip, int64_t target) {
    torch::AutoGradMode enable(true);
    const auto x = clip.detach().requires_grad_(true);
    const auto logits = naiveForward(net, x);
    return torch::autograd::grad({logits[0][target]}, {x})[0];
}

}  // namespace s4bench
