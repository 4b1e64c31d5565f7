#pragma once
// One planned clip made audible: synthesised, resampled, trimmed, levelled and placed.
#include "dataset_options.h"
#include "dataset_plan.h"
#include "word_clip.h"

namespace s4scope::train {

PlacedWord renderClip(const PlannedClip& clip, const DatasetOptions& options);

}  // namespace s4scope::train
