#pragma once
// Builds a keyword data set: OUT/SPLIT/WORD/*.wav (16-bit mono clips), OUT/manifest.csv and
// OUT/dataset.json (the options, so the build can be repeated).
#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "dataset_options.h"
#include "manifest.h"

namespace s4scope::train {

struct DatasetSummary {
    std::vector<ManifestEntry> entries;
    std::map<std::string, int64_t> clipsPerSplit;
    std::map<std::string, int64_t> voicesPerSplit;
    std::vector<std::string> babble;  // babble sentence files, relative to the data set's folder
    int64_t truncated = 0;  // words longer than a clip, cut at its end
    double seconds = 0;
};

// `progress` (may be null) gets a line every few percent and a summary. Throws Error naming the
// voice, word or file on any failure (unknown voice, unwritable folder, ...).
DatasetSummary buildDataset(const DatasetOptions& options, std::ostream* progress);

// Prints every voice the options select with its split group and split.
void listVoices(const DatasetOptions& options, std::ostream& out);

// The ten keywords of the model (DESIGN.md §2), in label order.
std::vector<std::string> keywordList();

}  // namespace s4scope::train
