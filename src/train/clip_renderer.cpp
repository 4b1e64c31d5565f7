#include "clip_renderer.h"

#include <cmath>

#include "classic_espeak_synthesiser.h"
#include "espeak_synthesiser.h"
#include "festival_synthesiser.h"
#include "flite_synthesiser.h"
#include "formant_warp.h"
#include "rng.h"
#include "s4scope/audio_io.h"
#include "s4scope/error.h"

namespace s4scope::train {
namespace {

Waveform speak(const PlannedClip& clip, int sampleRate) {
    const VoiceSpec& v = clip.voice;
    if (v.engine == "espeak-ng")
        return EspeakSynthesiser::instance().speak(clip.word, v.accent, v.variant, int(std::lround(clip.rate)),
                                                   int(std::lround(clip.pitch)));
    if (v.engine == "espeak")
        return ClassicEspeakSynthesiser::instance().speak(clip.word, v.accent, v.variant, int(std::lround(clip.rate)),
                                                          int(std::lround(clip.pitch)));
    if (v.engine == "flite") return FliteSynthesiser::instance().speak(clip.word, v.accent, clip.rate, clip.pitch);
    if (v.engine == "festival") {
        // Festival's own pitch controls differ by voice type: its pitch is moved here instead,
        // with the formants kept where the voice put them.
        Waveform w = FestivalSynthesiser::instance().speak(clip.word, v.accent, clip.rate);
        w.samples = resample(w.samples, w.sampleRate, sampleRate);
        w.sampleRate = sampleRate;
        if (clip.pitch != 0)
            w.samples = shiftPitchAndFormants(w.samples, sampleRate, std::pow(2.0, clip.pitch / 12.0), 1.0);
        return w;
    }
    throw Error("unknown engine '" + v.engine + "'");
}

}  // namespace

PlacedWord renderClip(const PlannedClip& clip, const DatasetOptions& options) {
    const Waveform spoken = speak(clip, options.sampleRate);
    std::vector<float> word = trimSilence(resample(spoken.samples, spoken.sampleRate, options.sampleRate),
                                          options.sampleRate, -40.0, clip.voice.engine == "festival");
    if (word.empty()) throw Error(clip.voice.name() + " said nothing for '" + clip.word + "'");

    Rng rng(clip.seed);
    normalisePeak(word, float(rng.uniform(options.minPeak, options.maxPeak)));
    const int64_t room = std::max<int64_t>(0, options.clipLength - int64_t(word.size()));
    return placeWord(word, options.clipLength, int64_t(rng.below(uint64_t(room) + 1)));
}

}  // namespace s4scope::train
