#pragma once
// Deterministic randomness for the dataset builder and the trainer. Written out (SplitMix64)
// rather than taken from <random>, whose distributions differ between standard libraries: a seed
// must give the same data set and the same training run everywhere.
#include <cmath>
#include <cstdint>
#include <string>

namespace s4scope::train {

class Rng {
public:
    explicit Rng(uint64_t seed) : state_(seed) {}

    uint64_t next() {
        uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    double uniform() { return double(next() >> 11) * 0x1.0p-53; }  // [0, 1)
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    uint64_t below(uint64_t n) { return n ? next() % n : 0; }  // [0, n); bias is negligible for small n
    bool chance(double p) { return uniform() < p; }
    // Standard normal (Box-Muller; one draw per call, so the stream stays simple to reason about).
    double normal() {
        const double u = 1.0 - uniform(), v = uniform();  // u in (0, 1]
        return std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * v);
    }
    double logUniform(double lo, double hi) { return std::exp(uniform(std::log(lo), std::log(hi))); }

private:
    uint64_t state_;
};

// A seed derived from a base seed and a name, so each clip (or epoch) has its own stream and a
// subset of the data set makes the same choices as the full build.
inline uint64_t deriveSeed(uint64_t seed, const std::string& name) {
    uint64_t h = 1469598103934665603ull ^ seed;  // FNV-1a over the name, then mixed
    for (unsigned char c : name) h = (h ^ c) * 1099511628211ull;
    return Rng(h).next();
}

template <class Vector>
void shuffleInPlace(Vector& v, Rng& rng) {
    for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng.below(i)]);
}

}  // namespace s4scope::train
