#pragma once
// The S4 keyword classifier as a libtorch module whose parameter names are the PyTorch state-dict
// names of DESIGN.md §2, so a state dict maps onto named_parameters() one to one.
#include <mutex>

#include <torch/torch.h>

#include "model/linear_ops.h"
#include "model/ssm_kernel_module.h"
#include "s4scope/model_config.h"
#include "s4scope/tensor_data.h"

namespace s4scope {

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

// One S4 block's own weights: D, the kernel, and the pointwise map before the GLU. Two layouts
// (S4LayerOptions::layer): s4d.py's S4D (D, kernel, output_linear.0 a Conv1d) and s4.py's S4Block
// (layer.D, layer.kernel, output_linear.0 a Linear); the accessors give both one shape.
class S4BlockImpl : public torch::nn::Module {
public:
    S4BlockImpl(int64_t H, int64_t N, const S4LayerOptions& options = {});

    // y = causal_conv(u, K) + D u, for u (B,H,L).
    torch::Tensor ssm(const torch::Tensor& u);
    // GLU(Conv1d(GELU(ssm(u)))).
    torch::Tensor forward(const torch::Tensor& u);
    torch::Tensor forward(const torch::Tensor& u, const Nonlinearities& nl, BlockTrace* trace);

    torch::Tensor D() const;             // (H)
    torch::Tensor outputWeight() const;  // (2H,H,1), as a kernel-1 Conv1d
    torch::Tensor outputBias() const;    // (2H)
    KernelModule& kernelModule();

    S4DKernel kernel{nullptr};  // s4d layout
    FFTConv layer{nullptr};     // s4block layout
    torch::nn::Sequential output_linear{nullptr};
    torch::nn::Conv1d outputConv{nullptr};      // output_linear[0] (s4d)
    torch::nn::Linear outputLinear{nullptr};    // output_linear[0] (s4block)

private:
    torch::Tensor D_;  // s4d layout
};
TORCH_MODULE(S4Block);

class S4ClassifierImpl : public torch::nn::Module {
public:
    explicit S4ClassifierImpl(const ModelConfig& config);

    // x (B,1,T) -> logits (B, n_classes).
    torch::Tensor forward(const torch::Tensor& x);
    // The same network with substituted nonlinearities, optionally recording intermediates.
    torch::Tensor forward(const torch::Tensor& x, const Nonlinearities& nl, ForwardTrace* trace = nullptr);

    torch::Tensor encoderWeight() const;  // (H,1,S), as a Conv1d (a Linear encoder is S = 1)
    torch::Tensor encoderBias() const;    // (H)
    // The relative sampling rate of every S4 kernel (state-spaces' `rate`, DESIGN.md §12).
    void setRate(double rate);
    double rate() const { return rate_; }

    ModelConfig config;
    torch::nn::Conv1d encoder{nullptr};        // the card's strided encoder
    torch::nn::Linear linearEncoder{nullptr};  // example.py's encoder (registered as "encoder")
    torch::nn::ModuleList s4_layers{nullptr};
    torch::nn::ModuleList norms{nullptr};
    torch::nn::Linear decoder{nullptr};
    std::vector<S4Block> blocks;
    std::vector<torch::nn::LayerNorm> layerNorms;

private:
    double rate_ = 1.0;
};
TORCH_MODULE(S4Classifier);

// The state-dict names and shapes a config implies (parameters and buffers), without building it.
std::vector<std::pair<std::string, std::vector<int64_t>>> stateDictLayout(const ModelConfig& config);

// The module's parameters and buffers as a plain state dict (float32).
NamedTensors stateDictOf(S4ClassifierImpl& model);
// Strict load (every missing, unexpected or mis-shaped key named in one Error naming `source`);
// refuses non-finite values.
void loadStateDictInto(S4ClassifierImpl& model, const NamedTensors& tensors, const std::string& source);

// The S4D paper's initialisation (state-spaces s4d.py): log_dt ~ U[log 1e-3, log 1e-1],
// C ~ complex normal, A = -1/2 + i pi n; D ~ N(0,1). Linear maps keep PyTorch's defaults.
// s4block layers get the same (S4D-Lin) diagonal under their transforms, B = 1, and for dplr a
// small random low-rank part (a valid DPLR model for tests, not the HiPPO-LegS initialisation).
// Draws from the global torch generator: seed it (torch::manual_seed) first for reproducibility.
void initialiseS4D(S4ClassifierImpl& model);

}  // namespace s4scope
