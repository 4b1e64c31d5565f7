#include "signal/listening.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace s4scope::signal {

std::string listenMaskName(ListenMask kind) {
    switch (kind) {
    case ListenMask::For: return "for";
    case ListenMask::Against: return "against";
    case ListenMask::Rest: return "rest";
    case ListenMask::Strongest: return "strongest";
    }
    return "for";
}

ListenMask parseListenMask(const std::string& name) {
    for (ListenMask kind : {ListenMask::For, ListenMask::Against, ListenMask::Rest, ListenMask::Strongest})
        if (listenMaskName(kind) == name) return kind;
    throw std::invalid_argument("unknown listening mask \"" + name + "\": use for, against, rest or strongest");
}

std::vector<uint8_t> listeningMask(const TfRelevance& R, ListenMask kind, double topPercent) {
    if (!(topPercent >= 0 && topPercent <= 100))
        throw std::invalid_argument("listening mask: top " + std::to_string(topPercent) + " % is outside 0 .. 100");
    const size_t count = R.values.size();
    // The top k % by |R|: partial sort of the indices, larger |R| first, lower index first among equals.
    const size_t keep = std::min(count, size_t(std::ceil(topPercent / 100.0 * double(count) - 1e-9)));
    std::vector<uint8_t> strong(count, 0);
    if (keep == count) {
        std::fill(strong.begin(), strong.end(), 1);
    } else if (keep > 0) {
        std::vector<size_t> order(count);
        std::iota(order.begin(), order.end(), size_t(0));
        std::nth_element(order.begin(), order.begin() + long(keep) - 1, order.end(), [&](size_t a, size_t b) {
            const double ma = std::abs(R.values[a]), mb = std::abs(R.values[b]);
            return ma > mb || (ma == mb && a < b);
        });
        for (size_t i = 0; i < keep; ++i) strong[order[i]] = 1;
    }
    std::vector<uint8_t> mask(count, 0);
    for (size_t i = 0; i < count; ++i) {
        const double r = R.values[i];
        const bool speaksFor = strong[i] && r > 0;
        switch (kind) {
        case ListenMask::For: mask[i] = speaksFor; break;
        case ListenMask::Against: mask[i] = strong[i] && r < 0; break;
        case ListenMask::Rest: mask[i] = !speaksFor; break;
        case ListenMask::Strongest: mask[i] = strong[i]; break;
        }
    }
    return mask;
}

std::vector<double> maskedResynthesis(const Stft& stft, const StftCoefficients& X, const std::vector<uint8_t>& mask) {
    if (mask.size() != X.values.size())
        throw std::invalid_argument("masked resynthesis: a mask of " + std::to_string(mask.size()) + " values for " +
                                    std::to_string(X.values.size()) + " coefficients");
    StftCoefficients masked = X;
    for (size_t i = 0; i < mask.size(); ++i)
        if (!mask[i]) masked.values[i] = 0;
    return stft.inverse(masked);
}

MaskedAudio listenTo(const Stft& stft, const StftCoefficients& X, const TfRelevance& R, ListenMask kind, double topPercent) {
    if (R.values.size() != X.values.size())
        throw std::invalid_argument("listening: relevance of " + std::to_string(R.frames) + " frames for coefficients of " +
                                    std::to_string(X.frames));
    MaskedAudio out;
    out.kind = kind;
    out.topPercent = topPercent;
    const std::vector<uint8_t> mask = listeningMask(R, kind, topPercent);
    const std::vector<double> audio = maskedResynthesis(stft, X, mask);
    out.samples.assign(audio.begin(), audio.end());
    out.keptCoefficients = mask.empty() ? 0.0 : double(std::count(mask.begin(), mask.end(), uint8_t(1))) / double(mask.size());
    double energy = 0;
    for (double v : audio) energy += v * v;
    const double total = stft.dot(X, X);  // = ||x||² (Parseval)
    out.keptEnergy = total > 0 ? energy / total : 0.0;
    return out;
}

}  // namespace s4scope::signal
