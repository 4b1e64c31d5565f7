#include "evaluation.h"

#include "augmentation.h"

namespace s4scope::train {

std::string speakerOf(const ManifestEntry& e) {
    if (e.engine == "espeak-ng" || e.engine == "espeak") return e.engine + ":" + (e.variant.empty() ? "default" : e.variant);
    if (e.engine == "flite") return "flite:" + (e.accent == "kal16" ? std::string("kal") : e.accent);
    return e.engine + ":" + e.accent;
}

Evaluation evaluate(S4ClassifierImpl& model, const ClipSet& set, int64_t batchSize, const NoiseCondition* noise) {
    torch::NoGradGuard noGrad;
    const int64_t classes = model.config.n_classes;
    Evaluation ev;
    ev.clips = set.size();
    ev.confusion.assign(size_t(classes), std::vector<int64_t>(size_t(classes), 0));
    if (ev.clips == 0) return ev;
    double lossSum = 0;
    int64_t correct = 0;
    for (int64_t start = 0; start < ev.clips; start += batchSize) {
        std::vector<int64_t> idx;
        for (int64_t i = start; i < std::min(ev.clips, start + batchSize); ++i) idx.push_back(i);
        const auto labels = set.labels.index_select(0, torch::tensor(idx, torch::kLong));
        const auto input = noise ? noisyBatch(set, idx, noise->kind, noise->snrDb, *noise->pools, noise->seed)
                                 : cleanBatch(set, idx);
        const auto logits = model.forward(input);
        lossSum += torch::nn::functional::cross_entropy(
                       logits, labels, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum))
                       .item<double>();
        const auto predicted = logits.argmax(1);
        for (size_t k = 0; k < idx.size(); ++k) {
            const int64_t t = labels[int64_t(k)].item<int64_t>(), p = predicted[int64_t(k)].item<int64_t>();
            ev.confusion[size_t(t)][size_t(p)]++;
            const auto& entry = set.entries[size_t(idx[k])];
            for (auto* counts : {&ev.perEngine[entry.engine], &ev.perVoice[entry.voice], &ev.perSpeaker[speakerOf(entry)]}) {
                counts->second++;
                if (t == p) counts->first++;
            }
            if (t == p) ++correct;
        }
    }
    ev.loss = lossSum / double(ev.clips);
    ev.accuracy = double(correct) / double(ev.clips);
    return ev;
}

}  // namespace s4scope::train
