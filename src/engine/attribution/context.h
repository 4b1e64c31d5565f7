#pragma once
// What every attribution method receives: the network, the clip, the target and its parameters,
// plus batching, progress and cancellation shared by the multi-pass methods.
#include <functional>
#include <optional>

#include <torch/torch.h>

#include "model/model_impl.h"
#include "s4scope/attribution.h"

namespace s4scope {

struct AttributionContext {
    S4ClassifierImpl& net;
    torch::Tensor x;              // (1,1,T), the clip; a leaf that requires grad
    const ForwardTrace& forward;  // one forward pass of x; with its autograd graph for methods that ask
    torch::Tensor logits;         // (1,C), of the clip (forward.logits)
    int64_t target = 0;
    const MethodParams& params;  // complete: defaults filled in
    uint64_t seed = 0;
    const ExplainRequest& request;
    int64_t batchSize = 32;  // passes evaluated together by multi-pass methods

    double param(const std::string& name) const { return params.at(name); }

    // Called by multi-pass methods between batches.
    void step(double fractionDone) const {
        if (request.cancel && request.cancel->load()) throw Cancelled();
        if (request.progress) request.progress(fractionDone);
    }
};

// What a method computes: the relevance as a (T) tensor and, for methods with a conservation
// property, what its sum should equal (explain() adds the sum itself).
struct MethodResult {
    MethodResult(torch::Tensor r) : relevance(std::move(r)) {}  // NOLINT: methods without one return the tensor
    MethodResult(torch::Tensor r, Conservation c) : relevance(std::move(r)), conservation(std::move(c)) {}
    torch::Tensor relevance;
    std::optional<Conservation> conservation;
};
using AttributionFn = std::function<MethodResult(const AttributionContext&)>;

}  // namespace s4scope
