#pragma once
// The analysed second of a file, at the model's rate (DESIGN.md §9: cut at --offset, zero-padded).
#include <string>

#include "s4scope/audio_io.h"
#include "s4scope/model.h"

namespace s4scope::cli {

inline Audio loadSecond(const std::string& path, const Model& model, double offsetSeconds) {
    AudioLoadOptions options;
    options.sampleRate = model.config().sample_rate;
    options.length = model.config().seq_len;
    options.startSeconds = offsetSeconds;
    return loadAudio(path, options);
}

}  // namespace s4scope::cli
