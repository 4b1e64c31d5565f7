#pragma once
// The S4 keyword classifier as a libtorch module whose parameter names are the PyTorch state-dict
// names of DESIGN.md §2, so a state dict maps onto named_parameters() one to one.
#include <mutex>

#include <torch/torch.h>

#include "model/linear_ops.h"
#include "s4scope/model_config.h"
#include "s4scope/tensor_data.h"

namespace s4scope {

// The S4D kernel parameters of one layer, with the kernel cached per sequence length.
class S4DKernelImpl : public torch::nn::Module {
public:
    S4DKernelImpl(int64_t H, int64_t N);

    // (H, L). Recomputed when autograd must see it (training), otherwise cached.
    torch::Tensor kernel(int64_t L);

    torch::Tensor log_dt, C, log_A_real, A_imag;

private:
    bool needsGraph() const;
    int64_t parameterVersion() const;  // changes whenever a parameter is written in place

    struct CacheEntry {
        int64_t L = -1;
        int64_t version = -1;
        const void* storage = nullptr;  // module.to(dtype) swaps in new tensors with fresh versions
        torch::Tensor kernel;
    };
    const CacheEntry& cached(int64_t L);

    std::mutex cacheMutex_;
    CacheEntry cache_;
};
TORCH_MODULE(S4DKernel);

// How the network's nonlinear pieces are evaluated. The standard ones are PyTorch's; attribution
// methods substitute their own (detached gates, guided backward, DeepLIFT multipliers) while the
// network's structure stays written once, in S4ClassifierImpl::forward.
class Nonlinearities {
public:
    virtual ~Nonlinearities() = default;
    virtual torch::Tensor gelu(const torch::Tensor& y) const;                          // exact (erf)
    virtual torch::Tensor gate(const torch::Tensor& a, const torch::Tensor& b) const;  // a * sigmoid(b)
    // LayerNorm over channels at each time step, for x (B,H,L).
    virtual torch::Tensor layerNorm(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias,
                                    double eps) const;
};

// Intermediate values of one forward pass, for LRP and Grad-CAM.
struct BlockTrace {
    torch::Tensor input;   // x entering the block (B,H,L)
    torch::Tensor u;       // what the SSM sees: x (postnorm) or LayerNorm(x) (prenorm)
    torch::Tensor y;       // ssm(u) = K * u + D u
    torch::Tensor g;       // GELU(y)
    torch::Tensor a, b;    // the two halves of the 1x1 conv output
    torch::Tensor z;       // a * sigmoid(b)
    torch::Tensor sum;     // z + x
    torch::Tensor output;  // the block's output: LayerNorm(sum) (postnorm) or sum (prenorm)
};
struct ForwardTrace {
    torch::Tensor input;    // (B,1,T)
    torch::Tensor encoded;  // (B,H,L)
    std::vector<BlockTrace> blocks;
    torch::Tensor pooled;   // (B,H)
    torch::Tensor logits;   // (B,C)
};

// One S4 block's own weights: D, the kernel, and the 1x1 conv before the GLU.
class S4BlockImpl : public torch::nn::Module {
public:
    S4BlockImpl(int64_t H, int64_t N);

    // y = causal_conv(u, K) + D u, for u (B,H,L).
    torch::Tensor ssm(const torch::Tensor& u);
    // GLU(Conv1d(GELU(ssm(u)))).
    torch::Tensor forward(const torch::Tensor& u);
    torch::Tensor forward(const torch::Tensor& u, const Nonlinearities& nl, BlockTrace* trace);

    torch::Tensor D;
    S4DKernel kernel{nullptr};
    torch::nn::Sequential output_linear{nullptr};
    torch::nn::Conv1d outputConv{nullptr};  // output_linear[0]
};
TORCH_MODULE(S4Block);

class S4ClassifierImpl : public torch::nn::Module {
public:
    explicit S4ClassifierImpl(const ModelConfig& config);

    // x (B,1,T) -> logits (B, n_classes).
    torch::Tensor forward(const torch::Tensor& x);
    // The same network with substituted nonlinearities, optionally recording intermediates.
    torch::Tensor forward(const torch::Tensor& x, const Nonlinearities& nl, ForwardTrace* trace = nullptr);

    ModelConfig config;
    torch::nn::Conv1d encoder{nullptr};
    torch::nn::ModuleList s4_layers{nullptr};
    torch::nn::ModuleList norms{nullptr};
    torch::nn::Linear decoder{nullptr};
    std::vector<S4Block> blocks;
    std::vector<torch::nn::LayerNorm> layerNorms;
};
TORCH_MODULE(S4Classifier);

// The module's parameters as a plain state dict (float32, in named_parameters() order).
NamedTensors stateDictOf(S4ClassifierImpl& model);
// Strict load (every missing, unexpected or mis-shaped key named in one Error naming `source`);
// refuses non-finite values.
void loadStateDictInto(S4ClassifierImpl& model, const NamedTensors& tensors, const std::string& source);

// The S4D paper's initialisation (state-spaces s4d.py): log_dt ~ U[log 1e-3, log 1e-1],
// C ~ complex normal, A = -1/2 + i pi n; D ~ N(0,1). Linear maps keep PyTorch's defaults.
// Draws from the global torch generator: seed it (torch::manual_seed) first for reproducibility.
void initialiseS4D(S4ClassifierImpl& model);

}  // namespace s4scope
