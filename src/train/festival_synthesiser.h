#pragma once
// Festival's non-English voices (Catalan, Czech, Finnish, Hindi, Italian, Marathi, Russian,
// Telugu speakers) saying the English keywords, as accented speakers would: each voice reads a
// spelling of the word in its own language's orthography ("jes", "rajt", "стоп", "स्टॉप"), which its
// letter-to-sound rules turn into the English sounds. Festival runs as a separate process
// (`festival --pipe`, one per voice and batch of words); its synthesis is deterministic.
// Festival's English voices are reserved (reserved_voices.h) and never offered or accepted.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "waveform.h"

namespace s4scope::train {

class FestivalSynthesiser {
public:
    static FestivalSynthesiser& instance();

    // Every allowed voice, installed or not, in name order (upc_ca_ona_hts, czech_dita, ...).
    static std::vector<std::string> allowedVoices();
    // The language a voice speaks ("czech"), empty for a voice not on the allow-list.
    static std::string languageOf(const std::string& voice);
    // What the voice is given to read for an English keyword. Throws Error for an unknown word.
    static std::string textFor(const std::string& voice, const std::string& word);

    // Synthesises every (word, duration stretch) of `requests` with `voice` in one Festival run and
    // keeps the results for speak(). Throws Error naming the voice: reserved, not on the
    // allow-list, not installed (with the Debian package to install), or Festival failing.
    void prefetch(const std::string& voice, const std::vector<std::pair<std::string, double>>& requests);

    // One word; from the prefetched results when there, otherwise a Festival run of its own.
    Waveform speak(const std::string& word, const std::string& voice, double durationStretch);

private:
    FestivalSynthesiser() = default;
    std::map<std::string, Waveform> cache_;  // key: voice|word|stretch
};

}  // namespace s4scope::train
