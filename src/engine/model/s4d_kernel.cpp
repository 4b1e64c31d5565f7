#include "model/s4d_kernel.h"

#include "model/ssm_kernels.h"

namespace s4scope {

torch::Tensor s4dKernel(const torch::Tensor& log_dt, const torch::Tensor& C, const torch::Tensor& log_A_real,
                        const torch::Tensor& A_imag, int64_t L) {
    const auto dt = torch::exp(log_dt).unsqueeze(-1);                // (H,1)
    const auto A = torch::complex(-torch::exp(log_A_real), A_imag);  // (H,N/2)
    return diagonalKernel(dt, A, {}, torch::view_as_complex(C.contiguous()), Discretisation::Zoh, L);
}

torch::Tensor fftCausalConvolution(const torch::Tensor& u, const torch::Tensor& K) {
    const int64_t L = u.size(-1);
    const auto y = torch::fft::irfft(torch::fft::rfft(u, 2 * L) * torch::fft::rfft(K, 2 * L), 2 * L);
    return y.narrow(-1, 0, L);
}

}  // namespace s4scope
