#pragma once
// The voices DESIGN.md §5 keeps for the project's independent evaluation: Festival's English
// voices (kal, ked, us-slt-hts and any other voice Festival files under english/) and every
// recording of real speech. The dataset builder never trains, validates or tunes on them: asking
// for one is an error, and the synthesisers only offer an allow-list of other voices.
#include <string>

namespace s4scope::train {

// True for a Festival voice name (as `voice_NAME` selects it) that is reserved: the English ones,
// by name or by the language folder Festival keeps it in.
bool isReservedFestivalVoice(const std::string& name);

// Throws Error naming the voice and why, when it is reserved.
void refuseReservedFestivalVoice(const std::string& name);

}  // namespace s4scope::train
