#pragma once
// One split of a data set in memory: the clips as one tensor, their labels, and where the word
// sits in each clip (for re-placing it during augmentation).
#include <torch/torch.h>

#include <ostream>
#include <string>
#include <vector>

#include "manifest.h"

namespace s4scope::train {

struct ClipSet {
    std::string split;
    torch::Tensor audio;   // (N, T) float32
    torch::Tensor labels;  // (N) int64
    std::vector<ManifestEntry> entries;

    int64_t size() const { return int64_t(entries.size()); }
};

// Loads the `split` clips of the manifest at dataDir/manifest.csv (already read into `manifest`).
// Throws Error naming a missing or unreadable clip, or a label outside [0, classes).
ClipSet loadClipSet(const std::string& dataDir, const std::vector<ManifestEntry>& manifest, const std::string& split,
                    int64_t clipLength, int64_t classes, std::ostream* progress);

}  // namespace s4scope::train
