#pragma once
// Words spoken by flite's voices through libflite. Each voice is linked in (Debian's flite1-dev
// ships them as libraries); awb_time is left out: it is a limited-domain voice that only speaks
// clock times.
#include <string>
#include <vector>

#include "waveform.h"

namespace s4scope::train {

class FliteSynthesiser {
public:
    static FliteSynthesiser& instance();

    std::vector<std::string> voices() const;  // kal, kal16, awb, rms, slt

    // durationStretch > 1 speaks slower; pitchFactor scales the voice's mean f0 (rms ignores it).
    // Throws Error naming an unknown voice.
    Waveform speak(const std::string& word, const std::string& voice, double durationStretch, double pitchFactor);

private:
    FliteSynthesiser();
};

}  // namespace s4scope::train
