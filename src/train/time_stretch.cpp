#include "time_stretch.h"

#include <algorithm>
#include <cmath>

#include "s4scope/error.h"

namespace s4scope::train {

std::vector<float> changeTempo(const std::vector<float>& x, double tempo) {
    if (!(tempo > 0.25 && tempo < 4)) throw Error("tempo factor " + std::to_string(tempo) + " is outside (0.25, 4)");
    const size_t outLength = size_t(std::lround(double(x.size()) / tempo));
    if (x.empty() || std::abs(tempo - 1) < 1e-9) {
        std::vector<float> copy(x);
        copy.resize(outLength, 0.f);
        return copy;
    }
    constexpr long N = 512, hop = N / 2, tolerance = 160;
    std::vector<float> window(N);
    for (long i = 0; i < N; ++i) window[size_t(i)] = float(0.5 - 0.5 * std::cos(2 * M_PI * double(i) / double(N)));
    // Padded input so every frame and search reads inside it.
    const long pad = N + tolerance;
    std::vector<float> in(size_t(pad) + x.size() + size_t(pad), 0.f);
    std::copy(x.begin(), x.end(), in.begin() + pad);
    const long last = long(in.size()) - N;

    std::vector<double> out(outLength + size_t(N), 0.0), weight(outLength + size_t(N), 0.0);
    long previous = pad;  // where the previous frame was taken from (in `in`)
    for (long k = 0; k * hop < long(outLength); ++k) {
        long start = pad + long(std::lround(double(k * hop) * tempo));
        if (k > 0) {
            // The natural continuation of the previous frame, and the nearby start most like it.
            const long natural = previous + hop;
            double best = -1e300;
            long bestStart = start;
            const long lo = std::max<long>(0, start - tolerance), hi = std::min(last, start + tolerance);
            for (long s = lo; s <= hi; s += 2) {
                double c = 0;
                for (long i = 0; i < N; i += 4) c += double(in[size_t(natural + i)]) * in[size_t(s + i)];
                if (c > best) {
                    best = c;
                    bestStart = s;
                }
            }
            start = bestStart;
        }
        start = std::clamp(start, 0L, last);
        for (long i = 0; i < N; ++i) {
            const size_t o = size_t(k * hop + i);
            out[o] += double(window[size_t(i)]) * in[size_t(start + i)];
            weight[o] += window[size_t(i)];
        }
        previous = start;
    }
    std::vector<float> result(outLength);
    for (size_t i = 0; i < outLength; ++i) result[i] = float(weight[i] > 1e-3 ? out[i] / weight[i] : out[i]);
    return result;
}

}  // namespace s4scope::train
