#pragma once
// Element types a checkpoint may store, and their conversion to float32. Shared by the pickle
// reader (.pt) and the safetensors reader. Header-only: the data is always little-endian (both
// formats say so), and this machine is too.
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace s4scope::detail {

enum class DType { Float32, Float64, Float16, BFloat16, Int64, Int32, Int16, Int8, UInt8, Bool };

inline size_t dtypeSize(DType t) {
    switch (t) {
        case DType::Float64: case DType::Int64: return 8;
        case DType::Float32: case DType::Int32: return 4;
        case DType::Float16: case DType::BFloat16: case DType::Int16: return 2;
        default: return 1;
    }
}

inline const char* dtypeName(DType t) {
    switch (t) {
        case DType::Float32: return "float32";
        case DType::Float64: return "float64";
        case DType::Float16: return "float16";
        case DType::BFloat16: return "bfloat16";
        case DType::Int64: return "int64";
        case DType::Int32: return "int32";
        case DType::Int16: return "int16";
        case DType::Int8: return "int8";
        case DType::UInt8: return "uint8";
        case DType::Bool: return "bool";
    }
    return "?";
}

// IEEE half -> float, including subnormals, infinities and NaN.
inline float halfToFloat(uint16_t h) {
    const uint32_t sign = uint32_t(h & 0x8000u) << 16;
    uint32_t exp = (h >> 10) & 0x1fu;
    uint32_t mant = h & 0x3ffu;
    uint32_t bits;
    if (exp == 0x1f) {
        bits = sign | 0x7f800000u | (mant << 13);
    } else if (exp != 0) {
        bits = sign | ((exp + 112) << 23) | (mant << 13);
    } else if (mant == 0) {
        bits = sign;
    } else {  // subnormal half: renormalise
        exp = 113;
        while (!(mant & 0x400u)) { mant <<= 1; --exp; }
        bits = sign | (exp << 23) | ((mant & 0x3ffu) << 13);
    }
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

template <typename T>
inline T loadLE(const uint8_t* p) {
    T v;
    std::memcpy(&v, p, sizeof(T));  // unaligned-safe; little-endian host
    return v;
}

// Converts `count` elements of `type` starting at `src` to float32 in `dst`.
inline void convertToFloat(DType type, const uint8_t* src, size_t count, float* dst) {
    if (count == 0) return;  // src/dst may be null for empty tensors; memcpy must not see that
    const size_t w = dtypeSize(type);
    switch (type) {
        case DType::Float32:
            std::memcpy(dst, src, count * 4);
            return;
        case DType::BFloat16:
            for (size_t i = 0; i < count; ++i) {
                const uint32_t bits = uint32_t(loadLE<uint16_t>(src + i * w)) << 16;
                std::memcpy(dst + i, &bits, 4);
            }
            return;
        case DType::Float16:
            for (size_t i = 0; i < count; ++i) dst[i] = halfToFloat(loadLE<uint16_t>(src + i * w));
            return;
        default: break;
    }
    for (size_t i = 0; i < count; ++i) {
        const uint8_t* p = src + i * w;
        switch (type) {
            case DType::Float64: dst[i] = float(loadLE<double>(p)); break;
            case DType::Int64: dst[i] = float(loadLE<int64_t>(p)); break;
            case DType::Int32: dst[i] = float(loadLE<int32_t>(p)); break;
            case DType::Int16: dst[i] = float(loadLE<int16_t>(p)); break;
            case DType::Int8: dst[i] = float(int8_t(*p)); break;
            case DType::UInt8: dst[i] = float(*p); break;
            case DType::Bool: dst[i] = *p ? 1.0f : 0.0f; break;
            default: break;
        }
    }
}

}  // namespace s4scope::detail
