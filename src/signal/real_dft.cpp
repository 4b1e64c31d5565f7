#include "signal/real_dft.h"

#include <fftw3.h>

#include <map>
#include <mutex>
#include <stdexcept>
#include <string>

namespace s4scope::signal {
namespace {

struct Plans {
    fftw_plan forward;
    fftw_plan inverse;
};

// One pair of plans per size for the whole process. They are never destroyed: a worker thread may
// still execute one while the process exits.
const Plans& plansFor(int size) {
    static std::mutex mutex;
    static auto* cache = new std::map<int, Plans>;
    std::lock_guard<std::mutex> lock(mutex);
    auto it = cache->find(size);
    if (it != cache->end()) return it->second;
    // Planned on fftw_malloc'd arrays, executed on other fftw_malloc'd arrays (the new-array
    // interface): both have FFTW's SIMD alignment, as that interface requires.
    double* samples = fftw_alloc_real(size_t(size));
    fftw_complex* spectrum = fftw_alloc_complex(size_t(size / 2 + 1));
    // FFTW_ESTIMATE: no timing runs, so the first spectrogram is not delayed and results are
    // reproducible from run to run.
    const Plans plans{fftw_plan_dft_r2c_1d(size, samples, spectrum, FFTW_ESTIMATE),
                      fftw_plan_dft_c2r_1d(size, spectrum, samples, FFTW_ESTIMATE)};
    fftw_free(samples);
    fftw_free(spectrum);
    if (!plans.forward || !plans.inverse) throw std::runtime_error("FFTW could not plan a DFT of size " + std::to_string(size));
    return cache->emplace(size, plans).first->second;
}

}  // namespace

RealDft::RealDft(int size) : size_(size) {
    if (size < 2) throw std::invalid_argument("a DFT needs at least 2 points, not " + std::to_string(size));
    plans_ = &plansFor(size);
    samples_ = fftw_alloc_real(size_t(size));
    // std::complex<double> has fftw_complex's layout (FFTW manual, "Complex numbers").
    spectrum_ = reinterpret_cast<std::complex<double>*>(fftw_alloc_complex(size_t(bins())));
}

RealDft::~RealDft() {
    fftw_free(samples_);
    fftw_free(spectrum_);
}

void RealDft::forward() {
    fftw_execute_dft_r2c(static_cast<const Plans*>(plans_)->forward, samples_, reinterpret_cast<fftw_complex*>(spectrum_));
}

void RealDft::inverse() {
    fftw_execute_dft_c2r(static_cast<const Plans*>(plans_)->inverse, reinterpret_cast<fftw_complex*>(spectrum_), samples_);
}

}  // namespace s4scope::signal
