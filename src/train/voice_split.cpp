#include "voice_split.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "rng.h"

namespace s4scope::train {
namespace {

size_t heldOutCount(double fraction, size_t groups) {
    if (fraction <= 0) return 0;
    return std::max<size_t>(1, size_t(std::lround(fraction * double(groups))));
}

}  // namespace

std::map<std::string, std::string> assignSplits(const std::vector<VoiceSpec>& voices, const DatasetOptions& options) {
    std::map<std::string, std::set<std::string>> enginesOf;  // group -> engines of its voices
    for (const auto& v : voices) enginesOf[v.splitGroup()].insert(v.engine);
    std::map<std::string, std::set<std::string>> pools;  // sets: sorted, so the shuffle is reproducible
    for (const auto& [group, engines] : enginesOf) {
        std::string pool;
        for (const auto& e : engines) pool += (pool.empty() ? "" : "+") + e;
        pools[pool].insert(group);
    }

    std::map<std::string, std::string> splitOf;
    for (const auto& [pool, groupSet] : pools) {
        std::vector<std::string> groups(groupSet.begin(), groupSet.end());
        Rng rng(deriveSeed(options.seed, "split:" + pool));
        shuffleInPlace(groups, rng);
        size_t nTest = 0, nValidation = 0;
        if (pool == "flite") {
            nTest = size_t(std::max(0, options.fliteTest));
            nValidation = size_t(std::max(0, options.fliteValidation));
        } else if (pool == "festival") {
            nTest = size_t(std::max(0, options.festivalTest));
            nValidation = size_t(std::max(0, options.festivalValidation));
        } else {
            nTest = heldOutCount(options.testFraction, groups.size());
            nValidation = heldOutCount(options.validationFraction, groups.size());
        }
        while (nTest + nValidation >= groups.size() && (nTest + nValidation) > 0) {  // keep one for training
            if (nValidation >= nTest && nValidation > 0) --nValidation;
            else --nTest;
        }
        for (size_t i = 0; i < groups.size(); ++i)
            splitOf[groups[i]] = i < nTest ? "test" : i < nTest + nValidation ? "validation" : "train";
    }
    return splitOf;
}

}  // namespace s4scope::train
