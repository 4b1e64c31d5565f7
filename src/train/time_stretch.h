#pragma once
// Tempo without pitch: WSOLA (waveform-similarity overlap-add). Each 32 ms frame is taken from
// near its nominal place where it best continues the previous one, so periods line up and the
// pitch and formants stay as they were. Plain C++.
#include <vector>

namespace s4scope::train {

// `tempo` > 1 is faster: the result has round(size / tempo) samples. tempo must be in (0.25, 4).
std::vector<float> changeTempo(const std::vector<float>& x, double tempo);

}  // namespace s4scope::train
