#pragma once
// Words spoken by espeak-ng through its C library (much faster than one process per word).
// espeak-ng keeps global state, so there is one synthesiser per process and it is not
// thread-safe; instance() initialises the library on first use.
#include <string>
#include <vector>

#include "waveform.h"

namespace s4scope::train {

class EspeakSynthesiser {
public:
    static EspeakSynthesiser& instance();

    // The English accents with their own voice file: identifiers under gmw/ whose language is
    // English ("gmw/en-US" -> "en-US"). The mbrola mb/* voices are left out: they need voice
    // data that Debian ships separately.
    std::vector<std::string> accents() const;
    // The voice variants of espeak-ng's !v folder ("f3", "Mr serious", ...).
    std::vector<std::string> variants() const;

    // `accent` as accents() names it; `variant` empty for the accent's own voice; rate in words per
    // minute (80..450); pitch 0..99 (50 is the voice's own). Throws Error naming an unknown voice.
    Waveform speak(const std::string& word, const std::string& accent, const std::string& variant, int rate,
                   int pitch);

private:
    EspeakSynthesiser();
    int sampleRate_ = 0;
};

}  // namespace s4scope::train
