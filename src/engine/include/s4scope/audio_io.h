#pragma once
// Audio files in and out: WAV, FLAC, OGG and MP3 through libsndfile, resampling through libsoxr.
#include <cstdint>
#include <string>
#include <vector>

namespace s4scope {

struct AudioLoadOptions {
    int sampleRate = 16000;     // output rate
    int64_t length = 16000;     // output samples: cut or zero-padded to this; <= 0 keeps everything
    double startSeconds = 0.0;  // offset into the file (in the file's time) where the cut begins
};

struct Audio {
    std::vector<float> samples;  // mono, in [-1, 1]
    int sampleRate = 0;
    // What the file held before conversion.
    int sourceSampleRate = 0;
    int sourceChannels = 0;
    int64_t sourceFrames = 0;
    // Not an error, but the user must be told: e.g. a WAV whose header announces more audio than
    // the file holds (a truncated download or recording); what is there is loaded. Empty: none.
    std::string warning;
};

// Loads, mixes to mono (mean of channels), resamples and cuts or pads. Throws Error naming the
// file and the reason for: missing/unreadable files, unknown formats, zero-length audio,
// non-finite samples, an offset beyond the end.
Audio loadAudio(const std::string& path, const AudioLoadOptions& options = {});

// Resamples mono audio with libsoxr (high quality). Same rate: returns the input.
std::vector<float> resample(const std::vector<float>& samples, int fromRate, int toRate);

// Writes mono 32-bit float WAV, so samples survive a round trip exactly. Throws Error on failure.
void writeWav(const std::string& path, const std::vector<float>& samples, int sampleRate);

}  // namespace s4scope
