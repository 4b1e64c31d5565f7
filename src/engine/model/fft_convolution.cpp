#include "model/fft_convolution.h"

#include <algorithm>

#include "model/causal_conv.h"

namespace s4scope {

// Products of 2, 3 and 5 are pocketfft's fast sizes.
int64_t fftLength(int64_t L, int64_t taps) {
    int64_t n = L + taps - 1;
    for (;; ++n) {
        int64_t m = n;
        for (int64_t f : {2, 3, 5})
            while (m % f == 0) m /= f;
        if (m == 1) return n;
    }
}

torch::Tensor fftMap(const torch::Tensor& a, const torch::Tensor& K, const torch::Tensor& b, const torch::Tensor& K2,
                     bool correlate) {
    const int64_t L = a.size(-1), taps = std::min(K.size(-1), L), n = fftLength(L, taps);
    auto spectrum = [&](const torch::Tensor& k) {
        const auto f = torch::fft::rfft(k.narrow(-1, 0, taps), n);
        return correlate ? f.conj() : f;
    };
    auto product = torch::fft::rfft(a, n) * spectrum(K);
    if (b.defined()) product = product + torch::fft::rfft(b, n) * spectrum(K2);
    return torch::fft::irfft(product, n).narrow(-1, 0, L);
}

// The sign groups by FFT: positive = K+ * u+ + K- * u-, negative = K- * u+ + K+ * u-. The rules
// divide by these sums, and alpha-beta must see a group with no terms at all (the first steps of
// the causal map, where a neuron has one or two terms) as exactly zero to pass its relevance to the
// other group. A float32 FFT leaves noise of ~1e-7 of the row's scale there, and the quotient over
// that noise is garbage (measured: LRP-alpha2-beta1 turned a layer's total of 0.24 into -0.11 at
// L = 1000). So the groups are summed in float64 and values below 1e-11 of the largest sum the row
// can reach (sum |K| max |u|, four orders above float64's FFT error) are set to zero: such a group
// is either empty or negligible, and in both cases its relevance belongs to the other group.
torch::Tensor fftSignGroup(const torch::Tensor& up, const torch::Tensor& Ka, const torch::Tensor& um,
                           const torch::Tensor& Kb, const torch::Tensor& floor) {
    auto g = fftMap(up, Ka, um, Kb, false);
    return g.masked_fill_(g.abs() <= floor, 0.0);
}

torch::Tensor fftCausalConv(const torch::Tensor& u, const torch::Tensor& K) { return fftMap(u, K, {}, {}, false); }

torch::Tensor fftCausalCorrelate(const torch::Tensor& g, const torch::Tensor& K) { return fftMap(g, K, {}, {}, true); }

}  // namespace s4scope
