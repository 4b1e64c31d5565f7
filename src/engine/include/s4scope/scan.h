#pragma once
// Keyword timelines for recordings longer than the model's second (DESIGN.md §9): a one-second
// window slides over the whole file (hop 100 ms by default), windows are classified in batches, and
// a detection is a run of consecutive windows with the same top class whose probability reaches a
// threshold and whose energy passes the speech gate, held for a minimum span of window positions;
// of two detections of different classes that cover mostly the same windows only the stronger is kept.
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "s4scope/model.h"

namespace s4scope {

struct ScanOptions {
    double hopSeconds = 0.1;
    double threshold = 0.5;     // top-class probability a window needs to count
    double gateDb = -45.0;      // speech gate: the loudest gateWindowMs of the window in dBFS (as live mode)
    double gateWindowMs = 100.0;
    // A run must cover at least this many seconds of window starts (windows x hop): a word cut by
    // the window's edge is often taken for another keyword with high confidence, but only for one
    // or two positions of the window, while a whole word keeps its class for five or more at 100 ms.
    double minRunSeconds = 0.3;
    // A word cut by the window's edge can also hold its wrong class for a few positions beside the
    // word's own run ("down" without its "d" reads as "on"). Such a run shares most of its windows'
    // time with the word's run: a detection sharing more than this fraction of its span (start .. end)
    // with a stronger detection of another class (stronger: larger sum of window probabilities) is
    // dropped. Two words a second apart share less than 0.4 of their spans. >= 1: none dropped.
    double maxOverlap = 0.5;
    int64_t batchSize = 256;    // windows classified together
    std::function<void(double)> progress;  // fraction done, between batches
    const std::atomic<bool>* cancel = nullptr;  // polled between batches: throws Cancelled
};

struct ScanWindow {
    double start = 0;          // seconds into the recording
    int64_t classIndex = 0;    // top class
    float probability = 0;     // its probability
    double levelDb = -120;     // loudest gateWindowMs, dBFS
    bool speech = false;       // passed the gate
};

struct Detection {
    int64_t classIndex = 0;
    std::string label;
    double start = 0, end = 0;  // from the first window's start to the last window's end, seconds
    double peakStart = 0;       // start of the most probable window: the second to analyse
    float peakProbability = 0;
    int64_t windows = 0;
};

struct ScanResult {
    double duration = 0;  // of the recording, seconds
    int sampleRate = 0;
    double windowSeconds = 0, hopSeconds = 0;
    std::vector<ScanWindow> windows;
    std::vector<Detection> detections;
};

// Scans `samples` (mono, at the model's rate). Windows start every hop; the last ones run past the
// end and are zero-padded so every sample is seen; a recording shorter than a window gives one.
// Throws Error for a hop or threshold out of range or an empty recording.
ScanResult scanRecording(const Model& model, const std::vector<float>& samples, const ScanOptions& options = {});

// Detections out of classified windows (the second half of scanRecording, for callers that
// change the threshold or gate without classifying again).
// Runs shorter than minWindows windows are dropped, then runs overlapping a stronger one of another
// class by more than maxOverlap of their span (ScanOptions::maxOverlap; the default 1 drops none).
std::vector<Detection> detectKeywords(const std::vector<ScanWindow>& windows, double windowSeconds,
                                      const std::vector<std::string>& labels, double threshold, int64_t minWindows = 1,
                                      double maxOverlap = 1.0);

}  // namespace s4scope
