#include "biquad.h"

#include <cmath>

namespace s4scope::train {
namespace {

Biquad normalised(double b0, double b1, double b2, double a0, double a1, double a2) {
    return {b0 / a0, b1 / a0, b2 / a0, a1 / a0, a2 / a0};
}

}  // namespace

Biquad Biquad::lowPass(double f, double q, int rate) {
    const double w = 2 * M_PI * f / rate, alpha = std::sin(w) / (2 * q), c = std::cos(w);
    return normalised((1 - c) / 2, 1 - c, (1 - c) / 2, 1 + alpha, -2 * c, 1 - alpha);
}

Biquad Biquad::highPass(double f, double q, int rate) {
    const double w = 2 * M_PI * f / rate, alpha = std::sin(w) / (2 * q), c = std::cos(w);
    return normalised((1 + c) / 2, -(1 + c), (1 + c) / 2, 1 + alpha, -2 * c, 1 - alpha);
}

Biquad Biquad::peaking(double f, double q, double gainDb, int rate) {
    const double A = std::pow(10.0, gainDb / 40), w = 2 * M_PI * f / rate, alpha = std::sin(w) / (2 * q),
                 c = std::cos(w);
    return normalised(1 + alpha * A, -2 * c, 1 - alpha * A, 1 + alpha / A, -2 * c, 1 - alpha / A);
}

void Biquad::apply(std::vector<float>& x) const {
    double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
    for (float& s : x) {
        const double y = b0 * s + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
        x2 = x1;
        x1 = s;
        y2 = y1;
        y1 = y;
        s = float(y);
    }
}

}  // namespace s4scope::train
