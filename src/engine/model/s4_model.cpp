#include "model/s4_model.h"

#include <cmath>
#include <typeinfo>

#include "model/causal_conv.h"
#include "model/channel_norm.h"
#include "model/gated_linear_unit.h"
#include "model/op_helpers.h"
#include "model/s4d_kernel.h"
#include "s4scope/checkpoint.h"
#include "s4scope/error.h"

namespace s4scope {

S4DKernelImpl::S4DKernelImpl(int64_t H, int64_t N) {
    log_dt = register_parameter("log_dt", torch::zeros({H}));
    C = register_parameter("C", torch::zeros({H, N / 2, 2}));
    log_A_real = register_parameter("log_A_real", torch::zeros({H, N / 2}));
    A_imag = register_parameter("A_imag", torch::zeros({H, N / 2}));
}

bool S4DKernelImpl::needsGraph() const {
    if (!torch::GradMode::is_enabled()) return false;
    for (const auto& p : {log_dt, C, log_A_real, A_imag})
        if (p.requires_grad()) return true;
    return false;
}

int64_t S4DKernelImpl::parameterVersion() const {
    // Version counters grow on every in-place write (optimizer steps, load_state_dict copies).
    return log_dt._version() + C._version() + log_A_real._version() + A_imag._version();
}

const S4DKernelImpl::CacheEntry& S4DKernelImpl::cached(int64_t L) {
    const int64_t version = parameterVersion();
    const void* storage = C.data_ptr();
    if (cache_.L != L || cache_.version != version || cache_.storage != storage) {
        // Plain tensors even when called under InferenceMode: the cache also serves later
        // autograd passes (attributions), which cannot use inference tensors.
        c10::InferenceMode notInference(false);
        torch::NoGradGuard noGrad;
        cache_.kernel = s4dKernel(log_dt, C, log_A_real, A_imag, L);
        cache_.L = L;
        cache_.version = version;
        cache_.storage = storage;
    }
    return cache_;
}

torch::Tensor S4DKernelImpl::kernel(int64_t L) {
    if (needsGraph()) return s4dKernel(log_dt, C, log_A_real, A_imag, L);
    std::lock_guard<std::mutex> lock(cacheMutex_);
    return cached(L).kernel;
}

S4BlockImpl::S4BlockImpl(int64_t H, int64_t N) {
    D = register_parameter("D", torch::zeros({H}));
    kernel = register_module("kernel", S4DKernel(H, N));
    outputConv = torch::nn::Conv1d(torch::nn::Conv1dOptions(H, 2 * H, 1));
    output_linear = register_module("output_linear", torch::nn::Sequential(outputConv));
}

torch::Tensor S4BlockImpl::ssm(const torch::Tensor& u) {
    return causalConv(u, kernel->kernel(u.size(-1)), D);
}

torch::Tensor S4BlockImpl::forward(const torch::Tensor& u) {
    static const Nonlinearities standard;
    return forward(u, standard, nullptr);
}

torch::Tensor S4BlockImpl::forward(const torch::Tensor& u, const Nonlinearities& nl, BlockTrace* trace) {
    const auto y = ssm(u);
    const auto g = nl.gelu(y);
    const auto ab = pointwiseConv(g, outputConv->weight, outputConv->bias);
    const int64_t H = ab.size(1) / 2;
    const auto a = ab.narrow(1, 0, H), b = ab.narrow(1, H, H);
    // The standard gate as one fused op; attribution variants override gate().
    const auto z = typeid(nl) == typeid(Nonlinearities) ? gatedLinearUnit(ab) : nl.gate(a, b);
    if (trace) {
        trace->u = u;
        trace->y = y;
        trace->g = g;
        trace->a = a;
        trace->b = b;
        trace->z = z;
    }
    return z;
}

torch::Tensor Nonlinearities::gelu(const torch::Tensor& y) const { return torch::gelu(y); }

torch::Tensor Nonlinearities::gate(const torch::Tensor& a, const torch::Tensor& b) const {
    return a * torch::sigmoid(b);
}

torch::Tensor Nonlinearities::layerNorm(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias,
                                        double eps) const {
    // Held-constant weights (every attribution pass): one fused op, no transposed copies.
    // Training learns them through libtorch's layer_norm.
    if (!recordsGraph({weight, bias})) return layerNormOverChannels(x, weight, bias, eps);
    return torch::layer_norm(x.transpose(1, 2), {x.size(1)}, weight, bias, eps).transpose(1, 2);
}
S4ClassifierImpl::S4ClassifierImpl(const ModelConfig& cfg) : config(cfg) {
    config.validate();
    const int64_t H = config.d_model, N = config.d_state, S = config.downsample;
    encoder = register_module("encoder",
                              torch::nn::Conv1d(torch::nn::Conv1dOptions(config.d_input, H, S).stride(S)));
    s4_layers = register_module("s4_layers", torch::nn::ModuleList());
    norms = register_module("norms", torch::nn::ModuleList());
    for (int64_t i = 0; i < config.n_layers; ++i) {
        blocks.push_back(S4Block(H, N));
        s4_layers->push_back(blocks.back());
        layerNorms.push_back(torch::nn::LayerNorm(torch::nn::LayerNormOptions({H}).eps(1e-5)));
        norms->push_back(layerNorms.back());
    }
    decoder = register_module("decoder", torch::nn::Linear(H, config.n_classes));
}

torch::Tensor S4ClassifierImpl::forward(const torch::Tensor& input) {
    static const Nonlinearities standard;
    return forward(input, standard, nullptr);
}

torch::Tensor S4ClassifierImpl::forward(const torch::Tensor& input, const Nonlinearities& nl, ForwardTrace* trace) {
    auto norm = [&](size_t i, const torch::Tensor& x) {
        const auto& ln = layerNorms[i];
        return nl.layerNorm(x, ln->weight, ln->bias, ln->options.eps());
    };
    if (input.size(1) != 1 || input.size(-1) % config.downsample != 0)
        throw std::invalid_argument("S4 classifier input must be (B, 1, T) with T a multiple of the downsampling");
    auto x = encodeFrames(input, encoder->weight, encoder->bias);  // (B,H,L)
    if (trace) {
        trace->input = input;
        trace->encoded = x;
        trace->blocks.assign(blocks.size(), BlockTrace{});
    }
    for (size_t i = 0; i < blocks.size(); ++i) {
        BlockTrace* bt = trace ? &trace->blocks[i] : nullptr;
        const auto block_input = x;
        const auto z = blocks[i]->forward(config.prenorm ? norm(i, x) : x, nl, bt);
        const auto sum = z + x;
        x = config.prenorm ? sum : norm(i, sum);
        if (bt) {
            bt->input = block_input;
            bt->sum = sum;
            bt->output = x;
        }
    }
    const auto pooled = x.mean(-1);
    const auto logits = decoder->forward(pooled);
    if (trace) {
        trace->pooled = pooled;
        trace->logits = logits;
    }
    return logits;
}

NamedTensors stateDictOf(S4ClassifierImpl& model) {
    NamedTensors out;
    for (const auto& item : model.named_parameters()) {
        const auto t = item.value().detach().to(torch::kFloat).contiguous();
        TensorData d;
        d.shape = t.sizes().vec();
        d.values.assign(t.data_ptr<float>(), t.data_ptr<float>() + t.numel());
        out.emplace_back(item.key(), std::move(d));
    }
    return out;
}

void loadStateDictInto(S4ClassifierImpl& model, const NamedTensors& tensors, const std::string& source) {
    std::vector<ExpectedTensor> expected;
    for (const auto& item : model.named_parameters()) expected.push_back({item.key(), item.value().sizes().vec()});
    checkStrict(tensors, expected, source);
    auto params = model.named_parameters();
    torch::NoGradGuard noGrad;
    for (const auto& [name, data] : tensors) {
        if (static_cast<int64_t>(data.values.size()) != data.numel())
            throw Error(source + ": tensor '" + name + "' holds " + std::to_string(data.values.size()) +
                        " values for shape " + shapeToString(data.shape));
        auto src = torch::from_blob(const_cast<float*>(data.values.data()), data.shape, torch::kFloat);
        if (!torch::isfinite(src).all().item<bool>()) throw Error(source + ": tensor '" + name + "' has non-finite values");
        params[name].copy_(src);
    }
}

void initialiseS4D(S4ClassifierImpl& model) {
    torch::NoGradGuard noGrad;
    const double dtMin = 1e-3, dtMax = 1e-1;
    for (auto& block : model.blocks) {
        auto& k = *block->kernel;
        const int64_t H = k.log_dt.size(0), N2 = k.A_imag.size(1);
        k.log_dt.copy_(torch::rand({H}) * (std::log(dtMax) - std::log(dtMin)) + std::log(dtMin));
        // torch.randn(cfloat) has unit total variance: 1/2 per real component.
        k.C.copy_(torch::randn({H, N2, 2}) * std::sqrt(0.5));
        k.log_A_real.fill_(std::log(0.5));
        k.A_imag.copy_((M_PI * torch::arange(N2, torch::kFloat)).expand({H, N2}));
        block->D.copy_(torch::randn({H}));
    }
}

}  // namespace s4scope
