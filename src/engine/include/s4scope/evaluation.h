#pragma once
// Judging explanations (DESIGN.md §10): deletion / insertion curves and their areas, the
// model-parameter randomisation check, localisation against a known word interval, agreement
// between two maps at a time scale, and LRP's conservation layer by layer. Plain C++ types only.
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "s4scope/attribution.h"
#include "s4scope/model.h"

namespace s4scope::evaluation {

// Progress (fraction in [0, 1]) and cancellation, polled between batches; cancelling throws Cancelled.
struct Control {
    std::function<void(double)> progress;
    const std::atomic<bool>* cancel = nullptr;
    void check() const {
        if (cancel && cancel->load()) throw Cancelled();
    }
    void report(double fraction) const {
        check();
        if (progress) progress(fraction);
    }
};

// Logits of `batch` clips stored back to back: batch x classes values. A Model is one; tests use
// hand-made functions whose dependence on the input is known.
using LogitFunction = std::function<std::vector<float>(const float* clips, int64_t batch)>;
LogitFunction logitsOf(const Model& model);

// The relevance a method gives `clip` for class `target` under `model`.
using Explainer = std::function<std::vector<float>(const Model& model, const std::vector<float>& clip, int64_t target)>;
// explain() with `request` (its target replaced by the one asked for).
Explainer registryExplainer(ExplainRequest request);

// ---- Frames -----------------------------------------------------------------------------------
// Samples per frame of `ms` milliseconds (at least 1).
int frameSamples(int sampleRate, double ms);
// Relevance summed over consecutive frames of `frame` samples (the last frame may be shorter);
// with `absolute`, |R| is summed instead.
std::vector<double> poolFrames(const std::vector<float>& relevance, int frame, bool absolute = false);
// Frame indices from the most to the least relevant (ties: the earlier frame first).
std::vector<int> rankFrames(const std::vector<double>& frameRelevance);

// ---- Deletion / insertion ---------------------------------------------------------------------
enum class Baseline { Zero, NoiseFloor };
std::string baselineName(Baseline baseline);  // "zero", "noise"
std::optional<Baseline> baselineFromName(const std::string& name);

struct CurveOptions {
    double frameMs = 10;      // frames ranked by summed relevance
    double step = 0.05;       // fraction of the frames added per point
    Baseline baseline = Baseline::Zero;
    int randomOrders = 8;     // random rankings averaged into the reference
    uint64_t seed = 0;        // of the random orders and of the baseline noise
    int64_t batchSize = 32;   // perturbed clips per forward pass
};

// Noise floor of a clip: RMS of its quietest 10 % of frames, never below -60 dBFS (1e-3) so a
// clip padded with digital silence still gets noise.
double noiseFloor(const std::vector<float>& clip, int frame);
// What removed frames are replaced with: zeros, or white Gaussian noise at the clip's noise floor
// (one draw per clip and seed, shared by every curve so methods see the same baseline).
std::vector<float> baselineSignal(const std::vector<float>& clip, int frame, Baseline baseline, uint64_t seed);

// Target probability as frames are removed or kept in the order of a ranking.
// deletion (MoRF): the top k of the frames replaced by the baseline;
// insertion: only the top k kept, the rest replaced. Keeping the top k is removing the least
// relevant 1 - k first, so the insertion curve read backwards is the LeRF curve and its area is
// AUC_LeRF (MambaLRP's ΔA_F = AUC_LeRF - AUC_MoRF).
struct Curves {
    std::vector<double> fractions;            // k: 0, step, ..., 1
    std::vector<double> deletion, insertion;  // target probability at each k
    double aucDeletion = 0, aucInsertion = 0; // trapezoid over k in [0, 1]
    double deltaAF() const { return aucInsertion - aucDeletion; }
};
double trapezoidArea(const std::vector<double>& x, const std::vector<double>& y);
std::vector<double> curveFractions(double step);  // 0, step, ..., 1 (the last point exactly 1)

// The curves of one ranking of the clip's frames of `frame` samples (rankFrames' output).
Curves perturbationCurves(const LogitFunction& logits, const std::vector<float>& clip, int64_t target,
                          const std::vector<int>& order, int frame, const CurveOptions& options,
                          const Control& control = {});
// The curves of a relevance map (frames ranked by summed relevance).
Curves relevanceCurves(const LogitFunction& logits, const std::vector<float>& clip, int64_t target,
                       const std::vector<float>& relevance, int sampleRate, const CurveOptions& options,
                       const Control& control = {});
// The reference: mean curves of options.randomOrders random rankings (seeded); its areas are
// the means of the orders' areas (the area is linear in the curve).
Curves randomReference(const LogitFunction& logits, const std::vector<float>& clip, int64_t target, int sampleRate,
                       const CurveOptions& options, const Control& control = {});

// ---- Model-parameter randomisation (Adebayo et al. 2018) ----------------------------------------
// Layers in cascading order, from the decoder down: "decoder", "block n-1", ..., "block 0", "encoder"
// (a block includes its LayerNorm).
std::vector<std::string> randomisationLayers(const ModelConfig& config);
// Whether state-dict key `key` belongs to layer `layer` of randomisationLayers.
bool keyInLayer(const std::string& key, const std::string& layer);
// The model with its first `layers` layers of the cascade re-drawn: every tensor of such a layer
// becomes Gaussian with the tensor's own mean and standard deviation (a tensor whose entries are
// all equal, such as a zero bias, carries no learned pattern and is kept).
Model randomisedModel(const Model& model, int layers, uint64_t seed);
// The whole cascade, built once and shared by every method of a clip.
struct RandomisationCascade {
    std::vector<std::string> layers;
    std::vector<Model> models;  // models[i]: layers 0..i randomised
};
RandomisationCascade randomisationCascade(const Model& model, uint64_t seed);

struct Randomisation {
    static constexpr double kPassBelow = 0.5;  // Spearman similarity after full randomisation
    std::vector<std::string> layers;
    std::vector<double> similarity;  // after each step: Spearman of |R| pooled to frames vs the original
    double finalSimilarity() const { return similarity.empty() ? 0.0 : similarity.back(); }
    // Passes when the map no longer resembles the original once every layer is random (a map
    // that became constant has no ranking left: it passes unless the original was constant too).
    bool passed = false;
};
Randomisation randomisationCheck(const RandomisationCascade& cascade, const std::vector<float>& clip, int64_t target,
                                 const std::vector<float>& originalRelevance, const Explainer& explainer,
                                 int sampleRate, double frameMs = 10, const Control& control = {});

// ---- Localisation -----------------------------------------------------------------------------
struct Interval {
    int64_t start = 0, end = 0;  // samples [start, end)
    bool valid(int64_t samples) const { return 0 <= start && start < end && end <= samples; }
};
struct Localisation {
    double massAccuracy = 0;  // positive R inside / all positive R (0 when there is none)
    bool pointingHit = false; // the frame of largest summed R overlaps the interval
    double intervalShare = 0; // the interval's share of the clip: what a uniform map scores
};
Localisation localise(const std::vector<float>& relevance, const Interval& word, int frame);
// The word's interval beside a clip, CLIP_STEM.word.json ({"start": N, "end": M} in samples,
// optionally "word"): nullopt when there is none; Error naming the file when it is malformed.
std::string wordIntervalPath(const std::string& clipPath);
std::optional<Interval> readWordInterval(const std::string& clipPath);
void writeWordInterval(const std::string& clipPath, const Interval& word, const std::string& label = {});

// ---- Agreement between two maps at a time scale -----------------------------------------------
struct Agreement {
    double pearson = 0, spearman = 0;
    double topJaccard = 0;  // |top k of a ∩ top k of b| / |union|, frames ranked by summed R
};
// Both maps summed over frames of `scale` samples (1: per sample); topFraction of the frames count
// as the top (at least one).
Agreement agreementAt(const std::vector<float>& a, const std::vector<float>& b, int scale, double topFraction = 0.1);
double topFractionJaccard(const std::vector<double>& a, const std::vector<double>& b, double topFraction);

// ---- LRP conservation layer by layer ----------------------------------------------------------
struct LayerConservation {
    std::string step;
    double total = 0;
    double relativeError = 0;  // |total - expected| / |expected|
};
std::vector<LayerConservation> layerConservation(const Conservation& conservation);

// ---- Everything for one clip ------------------------------------------------------------------
struct EvaluationOptions {
    CurveOptions curves;
    int64_t target = -1;           // class explained and scored; -1: the predicted class
    bool randomisation = true;
    std::optional<Interval> word;  // localisation only where the word's interval is known
};

struct MethodEvaluation {
    std::string method;
    std::vector<float> relevance;
    Curves curves;
    std::optional<Randomisation> randomisation;
    std::optional<Localisation> localisation;
    std::optional<Conservation> conservation;  // the explanation's own figure, per layer for LRP
};

struct ClipEvaluation {
    int64_t target = 0;
    double probability = 0;  // of the target on the unperturbed clip
    Curves random;           // the random-order reference
    std::vector<MethodEvaluation> methods;
};

// Every request on one clip, all for options.target (their own targets are replaced). Progress runs over
// the whole evaluation; cancelling throws Cancelled between batches.
ClipEvaluation evaluateClip(const Model& model, const std::vector<float>& clip, const std::vector<ExplainRequest>& methods,
                            const EvaluationOptions& options, const Control& control = {});

}  // namespace s4scope::evaluation
