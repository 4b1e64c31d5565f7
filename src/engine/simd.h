#pragma once
// Loops the engine builds three times, for AVX-512, AVX2/FMA and plain x86-64; the loader picks
// the best the CPU has (GCC function multi-versioning). The default build targets plain x86-64
// (SSE2), which would leave most of a modern core's vector width unused.
#define S4_VECTOR_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
