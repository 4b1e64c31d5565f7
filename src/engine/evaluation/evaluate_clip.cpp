// Every metric for one clip and a set of methods: the random reference and the randomised models
// are computed once and shared by all methods.
#include <algorithm>
#include <cmath>

#include "s4scope/evaluation.h"

namespace s4scope::evaluation {
namespace {

// A part [from, to) of the whole evaluation's progress.
Control part(const Control& whole, double from, double to) {
    Control c;
    c.cancel = whole.cancel;
    if (whole.progress)
        c.progress = [&whole, from, to](double f) { whole.progress(from + (to - from) * std::clamp(f, 0.0, 1.0)); };
    return c;
}

}  // namespace

ClipEvaluation evaluateClip(const Model& model, const std::vector<float>& clip, const std::vector<ExplainRequest>& methods,
                            const EvaluationOptions& options, const Control& control) {
    const auto& config = model.config();
    const int sampleRate = int(config.sample_rate);
    if (int64_t(clip.size()) != config.seq_len)
        throw Error("the clip has " + std::to_string(clip.size()) + " samples; the model takes " + std::to_string(config.seq_len));
    if (options.word && !options.word->valid(config.seq_len))
        throw Error("word interval [" + std::to_string(options.word->start) + ", " + std::to_string(options.word->end) +
                    ") does not lie within the clip's " + std::to_string(config.seq_len) + " samples");
    const LogitFunction logits = logitsOf(model);

    ClipEvaluation out;
    const auto prediction = model.classify(clip);
    out.target = options.target >= 0 ? options.target : prediction.classIndex;
    if (out.target >= config.n_classes)
        throw Error("target class " + std::to_string(out.target) + " is outside 0.." + std::to_string(config.n_classes - 1));
    out.probability = prediction.probabilities[size_t(out.target)];

    // Units of work: the random reference counts as one method's curves per order; each method
    // is its explanation, its curves and one explanation per randomised model.
    const int layers = options.randomisation ? int(randomisationLayers(config).size()) : 0;
    const double perMethod = 2.0 + layers;
    const double total = double(std::max(options.curves.randomOrders, 1)) + perMethod * double(methods.size()) + (layers ? 1 : 0);
    double done = 0;
    auto advance = [&](double units) {
        Control c = part(control, done / total, (done + units) / total);
        done += units;
        return c;
    };

    out.random = randomReference(logits, clip, out.target, sampleRate, options.curves,
                                 advance(double(std::max(options.curves.randomOrders, 1))));
    RandomisationCascade cascade;
    if (layers) {
        control.check();
        cascade = randomisationCascade(model, options.curves.seed);
        advance(1).report(1.0);
    }
    const int frame = frameSamples(sampleRate, options.curves.frameMs);
    for (const auto& method : methods) {
        ExplainRequest request = method;
        request.target = out.target;
        request.cancel = control.cancel;
        const Control explaining = advance(1);
        request.progress = explaining.progress;
        const Explanation e = explain(model, clip, request);
        MethodEvaluation m;
        m.method = e.method;
        m.relevance = e.relevance;
        m.conservation = e.conservation;
        m.curves = relevanceCurves(logits, clip, out.target, e.relevance, sampleRate, options.curves, advance(1));
        if (layers)
            m.randomisation = randomisationCheck(cascade, clip, out.target, e.relevance, registryExplainer(request),
                                                 sampleRate, options.curves.frameMs, advance(layers));
        if (options.word) m.localisation = localise(e.relevance, *options.word, frame);
        out.methods.push_back(std::move(m));
    }
    if (control.progress) control.progress(1.0);
    return out;
}

}  // namespace s4scope::evaluation
