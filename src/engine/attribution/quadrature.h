#pragma once
// Gauss-Legendre quadrature on [0, 1], as Captum's integrated gradients uses by default
// (numpy.polynomial.legendre.leggauss mapped from [-1, 1]): n nodes integrate polynomials of
// degree up to 2n - 1 exactly.
#include <vector>

namespace s4scope {

struct Quadrature {
    std::vector<double> nodes;    // ascending, in (0, 1)
    std::vector<double> weights;  // positive, summing to 1
};

Quadrature gaussLegendre(int n);

}  // namespace s4scope
