// Audio files through loadAudio: libsndfile's parsers (WAV, FLAC, OGG, AIFF, ... by content) and
// the project's own mixing, offset, resampling (libsoxr) and padding.
#include <cstdint>

#include "fuzz_support.h"
#include "s4scope/audio_io.h"
#include "s4scope/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string path = fuzz::writeTemp(data, size, ".wav");
    s4scope::AudioLoadOptions options;
    // The first byte picks an offset and the output rate, so those paths are fuzzed too.
    if (size > 0) {
        options.startSeconds = (data[0] & 7) * 0.05;
        options.sampleRate = (data[0] & 8) ? 8000 : 16000;
    }
    try {
        s4scope::loadAudio(path, options);
    } catch (const s4scope::Error&) {
    }
    return 0;
}
