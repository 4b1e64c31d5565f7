#pragma once
// Second-order IIR sections from the RBJ audio-EQ cookbook, applied in place. Plain C++.
#include <vector>

namespace s4scope::train {

struct Biquad {
    double b0 = 1, b1 = 0, b2 = 0, a1 = 0, a2 = 0;  // normalised: a0 = 1

    static Biquad lowPass(double cutoffHz, double q, int sampleRate);
    static Biquad highPass(double cutoffHz, double q, int sampleRate);
    static Biquad peaking(double centreHz, double q, double gainDb, int sampleRate);

    void apply(std::vector<float>& x) const;
};

}  // namespace s4scope::train
