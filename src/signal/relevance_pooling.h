#pragma once
// Relevance is one value per sample, a display has far fewer columns: these sum it over bins.
// Summing (not averaging) keeps relevance conservative: the bins add up to the clip's total.
#include <vector>

namespace s4scope::signal {

// Sums relevance over `bins` equal bins covering samples [firstSample, lastSample) (fractional
// bounds; a sample counts in the bin holding its index). Samples outside the data count as 0.
std::vector<double> poolRelevance(const std::vector<float>& relevance, double firstSample, double lastSample, int bins);

// Sums relevance over the hop-wide interval centred on each spectrogram frame
// (frame i covers samples [i*hop - hop/2, i*hop + hop/2)), so the result lines up with its columns.
// The last frame also takes the samples after its interval (a clip whose length is not a multiple
// of the hop ends up to half a hop past the spectrogram's last centre): nothing is dropped.
std::vector<double> poolPerFrame(const std::vector<float>& relevance, int hopSamples, int frames);

double maxAbs(const std::vector<double>& values);
double maxAbs(const std::vector<float>& values);

}  // namespace s4scope::signal

namespace s4scope::signal {

// What a comparison row states about its map (computed with the map, on a worker): the true
// max |R| of the data (not of any display pooling) and the total ΣR.
struct RelevanceStats {
    double maxAbs = 0;
    double sum = 0;
};
RelevanceStats relevanceStats(const std::vector<float>& relevance);

}  // namespace s4scope::signal
