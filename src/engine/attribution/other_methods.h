#pragma once
// DeepLIFT, Grad-CAM and occlusion.
#include "attribution/context.h"

namespace s4scope {

MethodResult deepLift(const AttributionContext& ctx);
torch::Tensor gradCam(const AttributionContext& ctx);
torch::Tensor occlusion(const AttributionContext& ctx);

}  // namespace s4scope
