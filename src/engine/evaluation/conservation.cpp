// LRP's conservation layer by layer: the relevance total after each backward step against the
// target logit, as the LRP pass records it (Conservation::layers).
#include <cmath>

#include "s4scope/evaluation.h"

namespace s4scope::evaluation {

std::vector<LayerConservation> layerConservation(const Conservation& conservation) {
    std::vector<LayerConservation> out;
    for (const auto& [step, total] : conservation.layers) {
        const double error = std::abs(total - conservation.expected);
        out.push_back({step, total, conservation.expected != 0 ? error / std::abs(conservation.expected) : error});
    }
    return out;
}

}  // namespace s4scope::evaluation
