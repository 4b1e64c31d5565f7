#pragma once
// Plain C++ tensors for the engine's public API: a shape and row-major float32 values.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace s4scope {

struct TensorData {
    std::vector<int64_t> shape;
    std::vector<float> values;  // row-major (C order), size == product of shape

    int64_t numel() const {
        int64_t n = 1;
        for (int64_t d : shape) n *= d;
        return n;
    }
};

// A state dict: named tensors in the order they were stored.
using NamedTensors = std::vector<std::pair<std::string, TensorData>>;

std::string shapeToString(const std::vector<int64_t>& shape);  // "(128, 1, 160)"

}  // namespace s4scope
