#pragma once
// A compact waveform of the analysed second on which the word's interval is marked by dragging
// (the Evaluate tab's; the explanation view marks with Ctrl+drag). Time axis, zoom (Shift+drag,
// wheel) and file-time labels come from TimeLinkedPlot.
#include <vector>

#include "views/time_linked_plot.h"

namespace s4scope::views {

class IntervalMarker;
class WaveformLayer;

class WordStrip : public TimeLinkedPlot {
    Q_OBJECT
public:
    explicit WordStrip(QWidget* parent = nullptr);
    ~WordStrip() override;

    void setClip(const std::vector<float>& samples, int sampleRate);
    IntervalMarker* marker() const { return marker_; }

private:
    WaveformLayer* waveform_;
    IntervalMarker* marker_;
};

}  // namespace s4scope::views
