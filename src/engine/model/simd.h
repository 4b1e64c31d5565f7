#pragma once
// Loops the engine builds three times, for AVX-512, AVX2/FMA and plain x86-64; the loader picks
// the best the CPU has (GCC function multi-versioning). The default build targets plain x86-64
// (SSE2), which would leave most of a modern core's vector width unused.
// Not under ThreadSanitizer: the loader runs the clones' resolver while relocating, before the TSan
// runtime is initialised, and gcc instruments the resolver too (it crashed before main()).
#if defined(__SANITIZE_THREAD__)
#define S4_VECTOR_CLONES
#else
#define S4_VECTOR_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#endif

#include <cstdint>
#include <cstring>
#include <type_traits>

namespace s4scope {

// Register-blocked loops over GCC vector types (64 bytes: one AVX-512 register, two AVX2 ones).
// At L = 100 a plain auto-vectorised loop spent most of its time in vector tails (4x slower).
// Such vectors go to S4_VECTOR_CLONES functions by pointer: by value, the AVX-512 clone and its
// plain x86-64 caller disagree on the ABI.
#define S4_LOAD(dst, src) std::memcpy(&(dst), (src), sizeof(dst))

template <typename T>
struct Lanes {
    static constexpr int64_t count = 64 / sizeof(T);
    typedef T Vector __attribute__((vector_size(64)));
    using IndexScalar = std::conditional_t<sizeof(T) == 4, int32_t, int64_t>;
    typedef IndexScalar Index __attribute__((vector_size(64)));
};

}  // namespace s4scope
