#include "attribution/quadrature.h"

#include <cmath>
#include <stdexcept>
#include <utility>

namespace s4scope {

Quadrature gaussLegendre(int n) {
    if (n < 1) throw std::invalid_argument("gaussLegendre: n must be at least 1");
    Quadrature q;
    q.nodes.resize(n);
    q.weights.resize(n);
    // Roots of the Legendre polynomial P_n by Newton's method from Tricomi's estimate; the roots
    // are symmetric, so half of them are computed.
    // P_n(x) and P_{n-1}(x) by the three-term recurrence.
    auto legendre = [n](double x) {
        double previous = 1, current = x;  // P_0, P_1
        for (int k = 2; k <= n; ++k) {
            const double next = ((2.0 * k - 1) * x * current - (k - 1.0) * previous) / k;
            previous = current;
            current = next;
        }
        return std::pair<double, double>{current, previous};
    };
    for (int i = 0; i < (n + 1) / 2; ++i) {
        double x = std::cos(M_PI * (i + 0.75) / (n + 0.5));
        for (int iteration = 0; iteration < 100; ++iteration) {
            const auto [pn, previous] = legendre(x);
            const double step = pn / (n * (x * pn - previous) / (x * x - 1));  // P_n / P_n'
            x -= step;
            if (std::abs(step) < 1e-15) break;
        }
        const auto [pn, previous] = legendre(x);
        const double derivative = n * (x * pn - previous) / (x * x - 1);
        const double w = 2.0 / ((1 - x * x) * derivative * derivative);
        // x is the i-th largest root: on [0, 1] the nodes are (1 -+ x) / 2 with half the weight.
        q.nodes[i] = 0.5 * (1 - x);
        q.nodes[n - 1 - i] = 0.5 * (1 + x);
        q.weights[i] = q.weights[n - 1 - i] = 0.5 * w;
    }
    return q;
}

}  // namespace s4scope
