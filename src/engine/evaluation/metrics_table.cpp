#include "s4scope/evaluation_metrics.h"

#include <algorithm>
#include <cmath>

namespace s4scope::evaluation {

const std::vector<std::string>& metricNames() {
    static const std::vector<std::string> names = {
        "auc_morf", "auc_lerf", "delta_af", "random_auc_morf", "random_auc_lerf", "random_delta_af",
        "randomisation_similarity", "randomisation_passed", "mass_accuracy", "pointing_hit", "interval_share",
        "conservation_error", "max_layer_conservation_error"};
    return names;
}

std::map<std::string, double> metricsOf(const ClipEvaluation& clip, const MethodEvaluation& m) {
    std::map<std::string, double> v;
    for (const auto& name : metricNames()) v[name] = std::nan("");
    v["auc_morf"] = m.curves.aucDeletion;
    v["auc_lerf"] = m.curves.aucInsertion;
    v["delta_af"] = m.curves.deltaAF();
    v["random_auc_morf"] = clip.random.aucDeletion;
    v["random_auc_lerf"] = clip.random.aucInsertion;
    v["random_delta_af"] = clip.random.deltaAF();
    if (m.randomisation) {
        v["randomisation_similarity"] = m.randomisation->finalSimilarity();
        v["randomisation_passed"] = m.randomisation->passed ? 1 : 0;
    }
    if (m.localisation) {
        v["mass_accuracy"] = m.localisation->massAccuracy;
        v["pointing_hit"] = m.localisation->pointingHit ? 1 : 0;
        v["interval_share"] = m.localisation->intervalShare;
    }
    if (m.conservation) {
        v["conservation_error"] = m.conservation->relativeError();
        double worst = std::nan("");
        for (const auto& layer : layerConservation(*m.conservation))
            worst = std::isnan(worst) ? layer.relativeError : std::max(worst, layer.relativeError);
        v["max_layer_conservation_error"] = worst;  // NaN without per-layer totals
    }
    return v;
}

}  // namespace s4scope::evaluation
