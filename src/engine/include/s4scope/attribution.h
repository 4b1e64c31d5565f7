#pragma once
// Attribution methods (DESIGN.md §3) behind a registry: every method has an id, a display name,
// a family and documented parameters; one call explains a clip for a target class.
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
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
    // One pass over the clip, fast enough for live mode; the others evaluate batches of clips
    // (paths, noisy copies, occluded windows) and report progress.
    bool singlePass = true;
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

// How far a method's relevance is from what it should sum to (DESIGN.md §3): the target logit for
// LRP, f(x) - f(baseline) for integrated gradients and DeepLIFT.
struct Conservation {
    std::string reference;  // what the sum should equal, in words ("target logit", "f(x) - f(baseline)")
    double expected = 0;    // its value
    double total = 0;       // the sum of the relevance
    // LRP: the total after each step, from the logit down to the input layer (what residual paths
    // carry past a block included), so a step that loses or creates relevance shows.
    std::vector<std::pair<std::string, double>> layers;
    double relativeError() const;  // |total - expected| / |expected| (the absolute error when expected is 0)
};
// One line for people: "sum of relevance 12.1 vs target logit 12.3 (1.6% off)".
std::string conservationSummary(const Conservation& conservation);

struct Explanation {
    std::string method;
    int64_t target = 0;
    std::vector<float> relevance;  // one value per input sample; positive speaks for the target
    std::vector<float> logits;     // of the unperturbed clip
    MethodParams params;           // every parameter, as used
    double elapsedMs = 0;          // the method's own compute time
    std::optional<Conservation> conservation;  // methods with a conservation property
};

class Cancelled : public Error {
public:
    Cancelled() : Error("cancelled") {}
};

const std::vector<MethodInfo>& attributionMethods();
// Throws Error listing the known ids when `id` is not one of them.
const MethodInfo& methodInfo(const std::string& id);
// The registry's choices for a new session: the method shown first (single-pass, so live mode
// starts with it too), and the methods compared until the user checks others.
const MethodInfo& defaultMethod();
std::vector<std::string> defaultComparison();

// Explains one clip (config().seq_len samples). Throws Error for unknown methods, parameters out
// of range, a target outside the classes, or a clip of the wrong length; Cancelled when cancelled.
Explanation explain(const Model& model, const std::vector<float>& clip, const ExplainRequest& request);

}  // namespace s4scope
