#pragma once
// Words spoken by classic eSpeak (1.48, the `espeak` program): an engine of its own, older than
// espeak-ng and with its own voice data. Its library exports the same symbols as libespeak-ng,
// so it cannot share a process with it: each word is one run of `espeak -w FILE`, deterministic.
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "waveform.h"

namespace s4scope::train {

class ClassicEspeakSynthesiser {
public:
    static ClassicEspeakSynthesiser& instance();

    // English voice files without mbrola (en, en-us, en-sc, en-n, en-rp, en-wm, en-wi), as
    // `espeak --voices=en` lists them. Throws Error when espeak is not installed.
    std::vector<std::string> accents();
    // The variants of its !v folder (f1..f5, m1..m7, croak, klatt..klatt4, whisper, whisperf).
    std::vector<std::string> variants();

    // `variant` empty for the accent's own voice; rate in words per minute; pitch 0..99.
    Waveform speak(const std::string& word, const std::string& accent, const std::string& variant, int rate,
                   int pitch);

    // One process per word costs ~70 ms of mostly waiting: prefetch runs several at once and keeps
    // the results until speak() takes them (each is handed out once).
    using Request = std::tuple<std::string, std::string, std::string, int, int>;  // word, accent, variant, rate, pitch
    void prefetch(const std::vector<Request>& requests, int processes = 6);

private:
    Waveform synthesise(const Request& request);
    std::map<Request, Waveform> cache_;
    ClassicEspeakSynthesiser() = default;
    std::vector<std::string> list(const std::string& which);
    std::vector<std::string> accents_, variants_;
};

}  // namespace s4scope::train
