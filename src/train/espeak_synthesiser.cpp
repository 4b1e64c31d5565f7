#include "espeak_synthesiser.h"

#include <espeak-ng/speak_lib.h>

#include <cstdlib>
#include <cstring>

#include "s4scope/error.h"

namespace s4scope::train {
namespace {

const unsigned kNoiseSeed = 1;
std::vector<short>* gCapture = nullptr;  // where the synthesis callback appends samples

int captureSamples(short* wav, int count, espeak_EVENT*) {
    if (wav && count > 0 && gCapture) gCapture->insert(gCapture->end(), wav, wav + count);
    return 0;  // keep synthesising
}

std::vector<const espeak_VOICE*> listVoices(const char* language) {
    espeak_VOICE spec{};
    spec.languages = language;
    std::vector<const espeak_VOICE*> out;
    for (const espeak_VOICE** v = espeak_ListVoices(&spec); v && *v; ++v) out.push_back(*v);
    return out;
}

}  // namespace

EspeakSynthesiser& EspeakSynthesiser::instance() {
    static EspeakSynthesiser synthesiser;
    return synthesiser;
}

EspeakSynthesiser::EspeakSynthesiser() {
    sampleRate_ = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nullptr, espeakINITIALIZE_DONT_EXIT);
    if (sampleRate_ <= 0)
        throw Error("espeak-ng: the library could not be initialised (is the espeak-ng-data package installed?)");
    espeak_SetSynthCallback(captureSamples);
}

std::vector<std::string> EspeakSynthesiser::accents() const {
    std::vector<std::string> out;
    for (const espeak_VOICE* v : listVoices("en")) {
        const std::string id = v->identifier ? v->identifier : "";
        if (id.rfind("gmw/", 0) == 0) out.push_back(id.substr(4));
    }
    if (out.empty()) throw Error("espeak-ng: no English gmw/ voices found (is espeak-ng-data installed?)");
    return out;
}

std::vector<std::string> EspeakSynthesiser::variants() const {
    std::vector<std::string> out;
    for (const espeak_VOICE* v : listVoices("variant")) {
        const std::string id = v->identifier ? v->identifier : "";
        if (id.rfind("!v/", 0) == 0) out.push_back(id.substr(3));
    }
    if (out.empty()) throw Error("espeak-ng: no voice variants found in its !v folder (is espeak-ng-data installed?)");
    return out;
}

Waveform EspeakSynthesiser::speak(const std::string& word, const std::string& accent, const std::string& variant,
                                  int rate, int pitch) {
    const std::string voiceName = "gmw/" + accent + (variant.empty() ? "" : "+" + variant);
    // espeak-ng's noise sources draw from rand(): seeded per word. Its wave generator also keeps
    // state from one utterance to the next (pitch-flutter phase, gain control) that no API resets,
    // so a word's exact samples depend on what the process spoke before: a build is reproducible
    // as a whole (same options, same order), a subset holds the same clips with slightly
    // different samples.
    std::srand(kNoiseSeed);
    if (espeak_SetVoiceByName(voiceName.c_str()) != EE_OK)
        throw Error("espeak-ng: no voice '" + voiceName + "' (see `espeak-ng --voices=en`)");
    // An unknown variant is silently dropped by espeak-ng: check that it was applied.
    const espeak_VOICE* current = espeak_GetCurrentVoice();
    const std::string applied = current && current->identifier ? current->identifier : "";
    if (applied != voiceName)
        throw Error("espeak-ng: no voice variant '" + variant + "' (see `espeak-ng --voices=variant`); got '" +
                    applied + "'");
    espeak_SetParameter(espeakRATE, rate, 0);
    espeak_SetParameter(espeakPITCH, pitch, 0);

    std::vector<short> pcm;
    gCapture = &pcm;
    const espeak_ERROR status = espeak_Synth(word.c_str(), word.size() + 1, 0, POS_CHARACTER, 0,
                                             espeakCHARS_UTF8, nullptr, nullptr);
    gCapture = nullptr;
    if (status != EE_OK || pcm.empty())
        throw Error("espeak-ng: synthesis of '" + word + "' with voice '" + voiceName + "' failed");

    Waveform w;
    w.sampleRate = sampleRate_;
    w.samples.reserve(pcm.size());
    for (short s : pcm) w.samples.push_back(s / 32768.f);
    return w;
}

}  // namespace s4scope::train
