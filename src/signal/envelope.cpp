#include "signal/envelope.h"

#include <algorithm>
#include <cstdint>

namespace s4scope::signal {

Envelope minMaxEnvelope(const std::vector<float>& samples, int columns) {
    Envelope e;
    const int64_t n = int64_t(samples.size());
    if (n == 0 || columns <= 0) return e;
    e.minimum.resize(size_t(columns));
    e.maximum.resize(size_t(columns));
    for (int64_t c = 0; c < columns; ++c) {
        const int64_t begin = std::min(n - 1, c * n / columns);
        const int64_t end = std::max(begin + 1, (c + 1) * n / columns);
        const auto [lo, hi] = std::minmax_element(samples.begin() + begin, samples.begin() + end);
        e.minimum[size_t(c)] = *lo;
        e.maximum[size_t(c)] = *hi;
    }
    return e;
}

}  // namespace s4scope::signal
