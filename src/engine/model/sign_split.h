#pragma once
// A dense map's terms w_jc x_c summed by sign, as the alpha-beta family of LRP rules needs them.
// Every term is positive or negative by the signs of w and x alone: the positive ones are
// W+ x+ + W- x-, the negative ones W- x+ + W+ x-. Four matrix products would compute them with
// four multiply-adds per term; here the weight's sign picks the operand (x+ or x-) so each group
// costs one multiply-add per term, with nothing subtracted (exact for nearly empty groups, unlike
// the two-product forms ½(Wx ± |W||x|)).
#include <torch/torch.h>

namespace s4scope {

struct SignGroups {
    torch::Tensor positive;  // sum of the positive terms, (B,J,L)
    torch::Tensor negative;  // sum of the negative terms, (B,J,L)
    // (each undefined unless asked for)
};

enum class WhichGroups { Positive, Negative, Both };

// W (J,C), x (B,C,L) with any strides.
SignGroups signGroups(const torch::Tensor& W, const torch::Tensor& x, WhichGroups which);

// The relevance the two groups pass back to x, given a quotient per group (p for the positive
// group, (B,J,L); n for the negative one, covering the first n.size(2) <= L steps, zero after, or
// undefined: zero): x (.) (x > 0 ? W+^T p + W-^T n : W-^T p + W+^T n), (B,C,L). Again one
// multiply-add per term.
torch::Tensor signGroupsAdjoint(const torch::Tensor& W, const torch::Tensor& x, const torch::Tensor& p,
                                const torch::Tensor& n);

// positive = max(in, 0), negative = min(in, 0) elementwise (float, double); in may be either
// output.
template <typename T>
void splitBySign(const T* in, int64_t n, T* positive, T* negative);

// For tests on a machine with AVX-512: use the loops' other chunk size (3 vectors, as without
// AVX-512) or, with 0, the CPU's again. Not thread-safe.
void forceSignGroupChunkVectors(int vectors);

// x (.) (x > 0 ? forPositive : forNegative), all three of one shape: the relevance of inputs from
// what either sign receives.
torch::Tensor combineBySign(const torch::Tensor& x, const torch::Tensor& forPositive, const torch::Tensor& forNegative);

}  // namespace s4scope
