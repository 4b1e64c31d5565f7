#include "model/s4_model.h"

#include <cmath>
#include <map>
#include <typeinfo>

#include "model/causal_conv.h"
#include "model/channel_norm.h"
#include "model/gated_linear_unit.h"
#include "model/op_helpers.h"
#include "model/s4d_kernel.h"
#include "s4scope/checkpoint.h"
#include "s4scope/error.h"

namespace s4scope {

S4BlockImpl::S4BlockImpl(int64_t H, int64_t N, const S4LayerOptions& options) {
    if (options.layer == "s4block") {
        layer = register_module("layer", FFTConv(H, N, options));
        outputLinear = torch::nn::Linear(H, 2 * H);
        output_linear = register_module("output_linear", torch::nn::Sequential(outputLinear));
    } else {
        D_ = register_parameter("D", torch::zeros({H}));
        const auto disc = options.disc == "bilinear" ? Discretisation::Bilinear : Discretisation::Zoh;
        kernel = register_module("kernel", S4DKernel(H, N, disc));
        outputConv = torch::nn::Conv1d(torch::nn::Conv1dOptions(H, 2 * H, 1));
        output_linear = register_module("output_linear", torch::nn::Sequential(outputConv));
    }
}

torch::Tensor S4BlockImpl::D() const { return layer ? layer->D.view({-1}) : D_; }

torch::Tensor S4BlockImpl::outputWeight() const {
    return outputLinear ? outputLinear->weight.unsqueeze(-1) : outputConv->weight;
}

torch::Tensor S4BlockImpl::outputBias() const { return outputLinear ? outputLinear->bias : outputConv->bias; }

KernelModule& S4BlockImpl::kernelModule() {
    if (layer) return *layer->kernel;
    return *kernel;
}

torch::Tensor S4BlockImpl::ssm(const torch::Tensor& u) {
    return causalConv(u, kernelModule().kernel(u.size(-1)), D());
}

torch::Tensor S4BlockImpl::forward(const torch::Tensor& u) {
    static const Nonlinearities standard;
    return forward(u, standard, nullptr);
}

torch::Tensor S4BlockImpl::forward(const torch::Tensor& u, const Nonlinearities& nl, BlockTrace* trace) {
    const auto y = ssm(u);
    const auto g = nl.gelu(y);
    const auto ab = pointwiseConv(g, outputWeight(), outputBias());
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
    if (config.encoder == "linear")
        linearEncoder = register_module("encoder", torch::nn::Linear(config.d_input, H));
    else
        encoder = register_module("encoder",
                                  torch::nn::Conv1d(torch::nn::Conv1dOptions(config.d_input, H, S).stride(S)));
    s4_layers = register_module("s4_layers", torch::nn::ModuleList());
    norms = register_module("norms", torch::nn::ModuleList());
    for (int64_t i = 0; i < config.n_layers; ++i) {
        blocks.push_back(S4Block(H, N, config.s4));
        s4_layers->push_back(blocks.back());
        layerNorms.push_back(torch::nn::LayerNorm(torch::nn::LayerNormOptions({H}).eps(1e-5)));
        norms->push_back(layerNorms.back());
    }
    decoder = register_module("decoder", torch::nn::Linear(H, config.n_classes));
    setRate(config.rate);
}

torch::Tensor S4ClassifierImpl::encoderWeight() const {
    return linearEncoder ? linearEncoder->weight.unsqueeze(-1) : encoder->weight;
}

torch::Tensor S4ClassifierImpl::encoderBias() const { return linearEncoder ? linearEncoder->bias : encoder->bias; }

void S4ClassifierImpl::setRate(double rate) {
    if (!(rate > 0) || !std::isfinite(rate)) throw std::invalid_argument("the S4 rate must be positive");
    rate_ = rate;
    config.rate = rate;
    for (auto& b : blocks) b->kernelModule().rate = rate;
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
    auto x = encodeFrames(input, encoderWeight(), encoderBias());  // (B,H,L)
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

namespace {

// Parameters and buffers (DPLR's l_kernel) by their state-dict names.
std::vector<std::pair<std::string, torch::Tensor>> namedState(S4ClassifierImpl& model) {
    std::vector<std::pair<std::string, torch::Tensor>> out;
    for (const auto& item : model.named_parameters()) out.emplace_back(item.key(), item.value());
    for (const auto& item : model.named_buffers()) out.emplace_back(item.key(), item.value());
    return out;
}

}  // namespace

std::vector<std::pair<std::string, std::vector<int64_t>>> stateDictLayout(const ModelConfig& c) {
    const int64_t H = c.d_model, N2 = c.d_state / 2;
    std::vector<std::pair<std::string, std::vector<int64_t>>> e;
    if (c.encoder == "linear")
        e = {{"encoder.weight", {H, c.d_input}}, {"encoder.bias", {H}}};
    else
        e = {{"encoder.weight", {H, c.d_input, c.downsample}}, {"encoder.bias", {H}}};
    const auto& o = c.s4;
    const int64_t S = o.n_ssm > 0 ? o.n_ssm : H;
    for (int64_t i = 0; i < c.n_layers; ++i) {
        const std::string layer = "s4_layers." + std::to_string(i) + ".";
        if (o.layer == "s4block") {
            const std::string k = layer + "layer.kernel.";
            e.push_back({layer + "layer.D", {1, H}});
            e.push_back({k + "inv_dt", {H, o.dt_tie ? int64_t(1) : N2}});
            e.push_back({k + "C", {1, H, N2, 2}});
            e.push_back({k + "B", {1, S, N2, 2}});
            e.push_back({k + "A_real", {S, N2}});
            e.push_back({k + "A_imag", {S, N2}});
            if (o.mode == "dplr") {
                e.push_back({k + "P", {o.rank, S, N2, 2}});
                e.push_back({k + "l_kernel", {}});
            }
            e.push_back({layer + "output_linear.0.weight", {2 * H, H}});
        } else {
            e.push_back({layer + "D", {H}});
            e.push_back({layer + "kernel.log_dt", {H}});
            e.push_back({layer + "kernel.C", {H, N2, 2}});
            e.push_back({layer + "kernel.log_A_real", {H, N2}});
            e.push_back({layer + "kernel.A_imag", {H, N2}});
            e.push_back({layer + "output_linear.0.weight", {2 * H, H, 1}});
        }
        e.push_back({layer + "output_linear.0.bias", {2 * H}});
        e.push_back({"norms." + std::to_string(i) + ".weight", {H}});
        e.push_back({"norms." + std::to_string(i) + ".bias", {H}});
    }
    e.push_back({"decoder.weight", {c.n_classes, H}});
    e.push_back({"decoder.bias", {c.n_classes}});
    return e;
}

NamedTensors stateDictOf(S4ClassifierImpl& model) {
    NamedTensors out;
    for (const auto& [name, value] : namedState(model)) {
        const auto t = value.detach().to(torch::kFloat).contiguous();
        TensorData d;
        d.shape = t.sizes().vec();
        d.values.assign(t.data_ptr<float>(), t.data_ptr<float>() + t.numel());
        out.emplace_back(name, std::move(d));
    }
    return out;
}

void loadStateDictInto(S4ClassifierImpl& model, const NamedTensors& tensors, const std::string& source) {
    std::vector<ExpectedTensor> expected;
    const auto state = namedState(model);
    for (const auto& [name, value] : state) expected.push_back({name, value.sizes().vec()});
    checkStrict(tensors, expected, source);
    std::map<std::string, torch::Tensor> byName(state.begin(), state.end());
    torch::NoGradGuard noGrad;
    for (const auto& [name, data] : tensors) {
        if (static_cast<int64_t>(data.values.size()) != data.numel())
            throw Error(source + ": tensor '" + name + "' holds " + std::to_string(data.values.size()) +
                        " values for shape " + shapeToString(data.shape));
        auto src = torch::from_blob(const_cast<float*>(data.values.data()), data.shape, torch::kFloat);
        if (!torch::isfinite(src).all().item<bool>()) throw Error(source + ": tensor '" + name + "' has non-finite values");
        auto& target = byName.at(name);
        if (target.scalar_type() == torch::kLong && (src < 0).any().item<bool>())
            throw Error(source + ": tensor '" + name + "' must not be negative");
        target.copy_(src);
    }
}

void initialiseS4D(S4ClassifierImpl& model) {
    torch::NoGradGuard noGrad;
    const double dtMin = 1e-3, dtMax = 1e-1;
    auto logDt = [&](const std::vector<int64_t>& shape) {
        return torch::rand(shape) * (std::log(dtMax) - std::log(dtMin)) + std::log(dtMin);
    };
    const auto& o = model.config.s4;
    for (auto& block : model.blocks) {
        if (block->kernel) {
            auto& k = *block->kernel;
            const int64_t H = k.log_dt.size(0), N2 = k.A_imag.size(1);
            k.log_dt.copy_(logDt({H}));
            // torch.randn(cfloat) has unit total variance: 1/2 per real component.
            k.C.copy_(torch::randn({H, N2, 2}) * std::sqrt(0.5));
            k.log_A_real.fill_(std::log(0.5));
            k.A_imag.copy_((M_PI * torch::arange(N2, torch::kFloat)).expand({H, N2}));
            block->D().copy_(torch::randn({H}));
            continue;
        }
        auto& k = *block->layer->kernel;
        const int64_t H = k.C.size(1), N2 = k.C.size(2), S = k.A_real.size(0);
        auto transform = [](const std::string& name) {
            return name == "exp" ? PositiveTransform::Exp : name == "relu" ? PositiveTransform::Relu
                 : name == "sigmoid" ? PositiveTransform::Sigmoid : name == "softplus" ? PositiveTransform::Softplus
                 : PositiveTransform::None;
        };
        // Stored under the transforms: -Re A = 1/2 and -Im A = pi n (A = -1/2 - i pi n, S4D-Lin in
        // s4.py's sign convention), dt log-uniform. Sigmoid cannot hold pi n: its values are clamped.
        k.inv_dt.copy_(inversePositiveTransform(torch::exp(logDt(k.inv_dt.sizes().vec())), transform(o.dt_transform)));
        k.A_real.copy_(inversePositiveTransform(torch::full({S, N2}, 0.5), transform(o.real_transform)));
        auto imag = (M_PI * torch::arange(N2, torch::kFloat)).expand({S, N2});
        if (o.imag_transform == "sigmoid") imag = imag.clamp_max(0.999);
        k.A_imag.copy_(o.imag_transform == "none" ? imag : inversePositiveTransform(imag, transform(o.imag_transform)));
        k.B.zero_();
        k.B.select(-1, 0).fill_(1.0);
        k.C.copy_(torch::randn({1, H, N2, 2}) * std::sqrt(0.5));
        if (k.dplr()) k.P.copy_(torch::randn(k.P.sizes()) * 0.1);
        block->layer->D.copy_(torch::randn({1, H}));
    }
}

}  // namespace s4scope
