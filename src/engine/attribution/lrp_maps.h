#pragma once
// The S4 classifier's linear maps, in the form the LRP rules evaluate them.
#include "attribution/lrp_rules.h"
#include "model/s4_model.h"

namespace s4scope {

LinearMap encoderMap(S4ClassifierImpl& net);
LinearMap ssmMap(S4BlockImpl& block, int64_t L);       // causal Toeplitz of K plus the D diagonal
LinearMap signalConvMap(S4BlockImpl& block);           // the 1x1 conv's rows that feed the GLU's signal half
LinearMap layerNormMap(const torch::nn::LayerNorm& norm, const torch::Tensor& input);  // std of `input` fixed
LinearMap meanPoolMap(int64_t L);  // over L time steps
LinearMap decoderMap(S4ClassifierImpl& net);

}  // namespace s4scope
