#pragma once
// Attribution methods (DESIGN.md §3) behind a registry: every method has an id, a display name,
// a family and documented parameters; one call explains a clip for a target class.
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "s4scope/error.h"
#include "s4scope/model.h"

namespace s4scope {

enum class MethodFamily { Gradient, SmoothGrad, LRP, Other };
std::string familyName(MethodFamily family);

struct ParamSpec {
    std::string name;
    double defaultValue = 0;
    double min = 0, max = 0;  // inclusive range
    bool integer = false;
    std::string help;  // one line
};

struct MethodInfo {
    std::string id;
    std::string displayName;
    MethodFamily family = MethodFamily::Other;
    std::string summary;  // one line
    std::vector<ParamSpec> params;
};

using MethodParams = std::map<std::string, double>;

struct ExplainRequest {
    std::string method;
    int64_t target = -1;    // class index; -1: the predicted class
    MethodParams params;    // missing ones take their defaults; unknown names are an Error
    uint64_t seed = 0;      // for the noise of the smoothgrad family
    // Fraction done in [0, 1], called between batches of multi-pass methods.
    std::function<void(double)> progress;
    // Polled between batches; when it reads true the call throws Cancelled promptly.
    const std::atomic<bool>* cancel = nullptr;
};

struct Explanation {
    std::string method;
    int64_t target = 0;
    std::vector<float> relevance;  // one value per input sample; positive speaks for the target
    std::vector<float> logits;     // of the unperturbed clip
    MethodParams params;           // every parameter, as used
    double elapsedMs = 0;          // the method's own compute time
};

class Cancelled : public Error {
public:
    Cancelled() : Error("cancelled") {}
};

const std::vector<MethodInfo>& attributionMethods();
// Throws Error listing the known ids when `id` is not one of them.
const MethodInfo& methodInfo(const std::string& id);

// Explains one clip (config().seq_len samples). Throws Error for unknown methods, parameters out
// of range, a target outside the classes, or a clip of the wrong length; Cancelled when cancelled.
Explanation explain(const Model& model, const std::vector<float>& clip, const ExplainRequest& request);

}  // namespace s4scope
