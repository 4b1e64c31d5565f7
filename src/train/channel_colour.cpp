#include "channel_colour.h"

#include <algorithm>

#include "biquad.h"

namespace s4scope::train {

void colourChannel(std::vector<float>& x, int sampleRate, Rng& rng) {
    Biquad::highPass(rng.logUniform(50, 400), 0.707, sampleRate).apply(x);
    const double lowPass = std::min(rng.logUniform(2500, 8000), 0.45 * sampleRate);
    Biquad::lowPass(lowPass, 0.707, sampleRate).apply(x);
    const int bands = 1 + int(rng.below(3));
    for (int b = 0; b < bands; ++b)
        Biquad::peaking(rng.logUniform(200, 6000), rng.uniform(0.7, 2.0), rng.uniform(-10, 10), sampleRate).apply(x);
}

}  // namespace s4scope::train
