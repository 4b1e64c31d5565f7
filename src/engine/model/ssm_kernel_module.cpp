#include "model/ssm_kernel_module.h"

#include <cmath>

namespace s4scope {
namespace {

PositiveTransform transformNamed(const std::string& name) {
    if (name == "exp") return PositiveTransform::Exp;
    if (name == "relu") return PositiveTransform::Relu;
    if (name == "sigmoid") return PositiveTransform::Sigmoid;
    if (name == "softplus") return PositiveTransform::Softplus;
    return PositiveTransform::None;
}

// Python's round(): halves to even (the reference rounds kernel lengths with it).
int64_t pythonRound(double x) { return static_cast<int64_t>(std::nearbyint(x)); }

torch::Tensor asComplex(const torch::Tensor& pairs) { return torch::view_as_complex(pairs.contiguous()); }

}  // namespace

bool KernelModule::needsGraph() {
    if (!differentiable() || !torch::GradMode::is_enabled()) return false;
    for (const auto& p : parameters())
        if (p.requires_grad()) return true;
    return false;
}

int64_t KernelModule::stateVersion() {
    // Version counters grow on every in-place write (optimizer steps, load_state_dict copies).
    int64_t v = 0;
    for (const auto& p : parameters()) v += p._version();
    for (const auto& b : buffers()) v += b._version();
    return v;
}

torch::Tensor KernelModule::kernel(int64_t L) {
    if (needsGraph()) return compute(L, rate);
    std::lock_guard<std::mutex> lock(cacheMutex_);
    std::vector<const void*> storage;
    for (const auto& p : parameters()) storage.push_back(p.data_ptr());
    const int64_t version = stateVersion();
    if (cache_.L != L || cache_.rate != rate || cache_.version != version || cache_.storage != storage) {
        // Plain tensors even when called under InferenceMode: the cache also serves later
        // autograd passes (attributions), which cannot use inference tensors.
        c10::InferenceMode notInference(false);
        torch::NoGradGuard noGrad;
        cache_.kernel = compute(L, rate);
        cache_.L = L;
        cache_.rate = rate;
        cache_.version = version;
        cache_.storage = std::move(storage);
    }
    return cache_.kernel;
}

S4DKernelImpl::S4DKernelImpl(int64_t H, int64_t N, Discretisation d) : disc(d) {
    log_dt = register_parameter("log_dt", torch::zeros({H}));
    C = register_parameter("C", torch::zeros({H, N / 2, 2}));
    log_A_real = register_parameter("log_A_real", torch::zeros({H, N / 2}));
    A_imag = register_parameter("A_imag", torch::zeros({H, N / 2}));
}

torch::Tensor S4DKernelImpl::compute(int64_t L, double r) {
    const auto dt = torch::exp(log_dt).unsqueeze(-1) * r;
    const auto A = torch::complex(-torch::exp(log_A_real), A_imag);
    return diagonalKernel(dt, A, {}, asComplex(C), disc, L);
}

SSMKernelImpl::SSMKernelImpl(int64_t H, int64_t N, const S4LayerOptions& o) : options(o) {
    const int64_t N2 = N / 2, S = o.n_ssm > 0 ? o.n_ssm : H;
    repeats_ = H / S;
    inv_dt = register_parameter("inv_dt", torch::zeros({H, o.dt_tie ? int64_t(1) : N2}));
    C = register_parameter("C", torch::zeros({1, H, N2, 2}));
    B = register_parameter("B", torch::zeros({1, S, N2, 2}));
    A_real = register_parameter("A_real", torch::zeros({S, N2}));
    A_imag = register_parameter("A_imag", torch::zeros({S, N2}));
    if (dplr()) {
        P = register_parameter("P", torch::zeros({o.rank, S, N2, 2}));
        l_kernel = register_buffer("l_kernel", torch::zeros({}, torch::kLong));
    }
}

torch::Tensor SSMKernelImpl::timestep() const {
    return applyPositiveTransform(inv_dt, transformNamed(options.dt_transform));
}

torch::Tensor SSMKernelImpl::stateDiagonal() const {
    const auto A = torch::complex(-applyPositiveTransform(A_real, transformNamed(options.real_transform)),
                                  -applyPositiveTransform(A_imag, transformNamed(options.imag_transform)));
    return repeats_ == 1 ? A : A.repeat({repeats_, 1});
}

torch::Tensor SSMKernelImpl::inputVector() const {
    const auto b = asComplex(B.select(0, 0));
    return repeats_ == 1 ? b : b.repeat({repeats_, 1});
}

torch::Tensor SSMKernelImpl::outputVector() const { return asComplex(C.select(0, 0)); }

torch::Tensor SSMKernelImpl::lowRank() const {
    const auto p = asComplex(P);
    return repeats_ == 1 ? p : p.repeat({1, repeats_, 1});
}

torch::Tensor SSMKernelImpl::compute(int64_t L, double r) {
    // FFTConv: with l_max the kernel covers at most round(l_max / rate) steps.
    const int64_t Lk = options.l_max > 0 ? std::max<int64_t>(1, std::min(L, pythonRound(options.l_max / r))) : L;
    if (dplr()) return dplrLayerKernel(*this, Lk, r).to(C.scalar_type());
    const auto disc = options.disc == "bilinear" ? Discretisation::Bilinear : Discretisation::Zoh;
    return diagonalKernel(timestep() * r, stateDiagonal(), inputVector(), outputVector(), disc, Lk);
}

torch::Tensor dplrLayerKernel(const SSMKernelImpl& k, int64_t L, double rate) {
    torch::NoGradGuard noGrad;
    const auto dt = k.timestep().detach();
    const auto A = k.stateDiagonal().detach(), B = k.inputVector().detach(), P = k.lowRank().detach();
    auto Ct = k.outputVector().detach();
    int64_t lk = static_cast<int64_t>(k.l_kernel.item<double>());
    // C~ is set up with the state matrix at rate 1, whatever the rate (as the reference does).
    torch::Tensor dA;
    auto stateMatrix = [&]() -> const torch::Tensor& {
        if (!dA.defined()) dA = dplrDiscreteStateMatrix(dt, A, P);
        return dA;
    };
    if (lk == 0 && k.options.l_max > 0) {
        Ct = dplrTruncatedC(Ct, stateMatrix(), k.options.l_max, -1);
        lk = k.options.l_max;
    }
    const int64_t continuous = pythonRound(rate * double(L));
    while (continuous > lk) {
        if (lk == 0) {
            Ct = dplrTruncatedC(Ct, stateMatrix(), continuous, -1);
            lk = continuous;
        } else {
            Ct = dplrTruncatedC(Ct, stateMatrix(), lk, +1);
            lk *= 2;
        }
    }
    const int64_t nodes = std::max<int64_t>(1, pythonRound(double(lk) / rate));
    const auto K = dplrCauchyKernel(dt * rate, A, B, Ct, P, nodes);
    return K.narrow(-1, 0, std::min(L, nodes));
}

FFTConvImpl::FFTConvImpl(int64_t H, int64_t N, const S4LayerOptions& options) {
    D = register_parameter("D", torch::zeros({1, H}));
    kernel = register_module("kernel", SSMKernel(H, N, options));
}

}  // namespace s4scope
