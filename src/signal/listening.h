#pragma once
// Explanations you can listen to (DESIGN.md §8): a mask M over the STFT coefficients chosen from the
// time–frequency relevance, and the masked signal x' = ISTFT(M ⊙ X).
//   For       the coefficients speaking for the target (R[f,t] > 0),
//   Against   those speaking against it (R[f,t] < 0),
//   Rest      everything "For" leaves out, so For + Rest = x exactly (the ISTFT is linear),
//   Strongest the coefficients of largest |R| whatever their sign.
// topPercent first keeps only the top k % of all coefficients ranked by |R[f,t]| (ties broken by
// position, so the mask is reproducible); 100 % keeps all, giving the plain sign masks. A bin's
// mask applies to its conjugate too, so x' is real.
#include <cstdint>
#include <string>
#include <vector>

#include "signal/stft.h"
#include "signal/tf_relevance.h"

namespace s4scope::signal {

enum class ListenMask { For, Against, Rest, Strongest };

// "for", "against", "rest", "strongest"; parseListenMask throws std::invalid_argument listing them.
std::string listenMaskName(ListenMask kind);
ListenMask parseListenMask(const std::string& name);

// One byte per coefficient (layout as R.values): 1 keeps it. Throws std::invalid_argument for
// topPercent outside [0, 100].
std::vector<uint8_t> listeningMask(const TfRelevance& R, ListenMask kind, double topPercent = 100);

// ISTFT(M ⊙ X): X.length samples.
std::vector<double> maskedResynthesis(const Stft& stft, const StftCoefficients& X, const std::vector<uint8_t>& mask);

struct MaskedAudio {
    ListenMask kind = ListenMask::For;
    double topPercent = 100;
    std::vector<float> samples;  // x', as long as the clip
    double keptCoefficients = 0; // share of the coefficients the mask keeps
    double keptEnergy = 0;       // ||x'||² / ||x||² (0 for a silent clip)
};

// The whole step for a clip: STFT, relevance (for the mask), mask, resynthesis.
MaskedAudio listenTo(const Stft& stft, const StftCoefficients& X, const TfRelevance& R, ListenMask kind, double topPercent = 100);

}  // namespace s4scope::signal
