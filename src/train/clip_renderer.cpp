#include "clip_renderer.h"

#include <cmath>

#include "espeak_synthesiser.h"
#include "flite_synthesiser.h"
#include "rng.h"
#include "s4scope/audio_io.h"
#include "s4scope/error.h"

namespace s4scope::train {

PlacedWord renderClip(const PlannedClip& clip, const DatasetOptions& options) {
    const Waveform spoken =
        clip.voice.engine == "espeak"
            ? EspeakSynthesiser::instance().speak(clip.word, clip.voice.accent, clip.voice.variant,
                                                  int(std::lround(clip.rate)), int(std::lround(clip.pitch)))
            : FliteSynthesiser::instance().speak(clip.word, clip.voice.accent, clip.rate, clip.pitch);
    std::vector<float> word = trimSilence(resample(spoken.samples, spoken.sampleRate, options.sampleRate),
                                          options.sampleRate);
    if (word.empty()) throw Error(clip.voice.name() + " said nothing for '" + clip.word + "'");

    Rng rng(clip.seed);
    normalisePeak(word, float(rng.uniform(options.minPeak, options.maxPeak)));
    const int64_t room = std::max<int64_t>(0, options.clipLength - int64_t(word.size()));
    return placeWord(word, options.clipLength, int64_t(rng.below(uint64_t(room) + 1)));
}

}  // namespace s4scope::train
