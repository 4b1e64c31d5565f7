#pragma once
// The S4 layers' kernel modules with the state-dict names of the state-spaces code (DESIGN.md §12):
//  - S4DKernelImpl: s4d.py's S4DKernel (log_dt, C, log_A_real, A_imag);
//  - SSMKernelImpl: s4.py's SSMKernelDiag / SSMKernelDPLR (inv_dt, C, B, A_real, A_imag, and for
//    DPLR P and the buffer l_kernel);
//  - FFTConvImpl: s4.py's FFTConv, which holds D beside the kernel.
// A kernel depends only on the weights, the length and the rate: it is computed once and cached.
#include <mutex>

#include <torch/torch.h>

#include "model/ssm_kernels.h"
#include "s4scope/model_config.h"

namespace s4scope {

class KernelModule : public torch::nn::Module {
public:
    // (H, Lk), Lk <= L, at the module's rate. Recomputed when autograd must see it (training),
    // otherwise cached per (L, rate, weights).
    torch::Tensor kernel(int64_t L);

    // The relative sampling rate (state-spaces' `rate`): dt is scaled by it, so a kernel trained
    // at one sampling rate runs at another. 1: as trained.
    double rate = 1.0;

protected:
    virtual torch::Tensor compute(int64_t L, double rate) = 0;
    // Whether compute() builds an autograd graph through the weights (the DPLR kernel does not).
    virtual bool differentiable() const { return true; }

private:
    bool needsGraph();
    int64_t stateVersion();
    struct CacheEntry {
        int64_t L = -1;
        double rate = 0;
        int64_t version = -1;
        std::vector<const void*> storage;  // module.to(dtype) swaps in new tensors with fresh versions
        torch::Tensor kernel;
    };
    std::mutex cacheMutex_;
    CacheEntry cache_;
};

// s4d.py: dt = exp(log_dt), A = -exp(log_A_real) + i A_imag, B = 1 (zero-order hold, or bilinear
// when the config says so).
class S4DKernelImpl : public KernelModule {
public:
    S4DKernelImpl(int64_t H, int64_t N, Discretisation disc = Discretisation::Zoh);
    torch::Tensor log_dt, C, log_A_real, A_imag;
    Discretisation disc;

protected:
    torch::Tensor compute(int64_t L, double rate) override;
};
TORCH_MODULE(S4DKernel);

// s4.py: dt = f_dt(inv_dt), A = -f_re(A_real) - i f_im(A_imag) on n_ssm copies tiled over the H
// channels (channel h uses copy h mod n_ssm), B and C complex. DPLR adds A - P P^*; its stored C
// is C~ = C (I - dA^l_kernel) once l_kernel > 0 (see dplr below).
class SSMKernelImpl : public KernelModule {
public:
    SSMKernelImpl(int64_t H, int64_t N, const S4LayerOptions& options);
    torch::Tensor inv_dt, C, B, A_real, A_imag, P, l_kernel;
    S4LayerOptions options;
    bool dplr() const { return options.mode == "dplr"; }

    // The continuous-time parameters as complex (H,N2) tensors (A and B tiled to H), P (R,H,N2).
    torch::Tensor timestep() const;  // (H,1) or (H,N2), at rate 1
    torch::Tensor stateDiagonal() const;
    torch::Tensor inputVector() const;
    torch::Tensor outputVector() const;
    torch::Tensor lowRank() const;

protected:
    torch::Tensor compute(int64_t L, double rate) override;
    bool differentiable() const override { return !dplr(); }

private:
    int64_t repeats_ = 1;
};
TORCH_MODULE(SSMKernel);

// The kernel for a DPLR layer at length L and rate r, as FFTConv / SSMKernelDPLR compute it: C~ is
// brought to cover round(r L) steps (from C when l_kernel is 0, else by doubling), then the Cauchy
// kernel at round(l_kernel / r) nodes with dt r, cut to L. Does not change the module's weights.
torch::Tensor dplrLayerKernel(const SSMKernelImpl& k, int64_t L, double rate);

// s4.py's FFTConv: D (1,H) and the kernel.
class FFTConvImpl : public torch::nn::Module {
public:
    FFTConvImpl(int64_t H, int64_t N, const S4LayerOptions& options);
    torch::Tensor D;
    SSMKernel kernel{nullptr};
};
TORCH_MODULE(FFTConv);

}  // namespace s4scope
