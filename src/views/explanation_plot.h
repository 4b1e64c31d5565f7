#pragma once
// The main view of one explanation, a stack of time-linked rows: the waveform with relevance
// behind it, the spectrogram, and the relevance per spectrogram column under it. Zoom, pan,
// crosshair readout and playhead come from TimeLinkedPlot; the rows are TimeLayers.
#include <vector>

#include "signal/spectrogram.h"
#include "views/colour_maps.h"
#include "views/time_linked_plot.h"

namespace s4scope::views {

class WaveformLayer;
class SpectrogramLayer;
class RelevanceStripLayer;

class ExplanationPlot : public TimeLinkedPlot {
    Q_OBJECT
public:
    explicit ExplanationPlot(QWidget* parent = nullptr);
    ~ExplanationPlot() override;

    // A new clip with its spectrogram (signal::computeSpectrogram of the same samples, computed off
    // the GUI thread); clears the relevance and shows the whole clip.
    void setClip(const std::vector<float>& samples, int sampleRate, signal::Spectrogram spectrogram);
    void setRelevance(const std::vector<float>& relevance);  // empty: no overlay
    // Live mode's update: clip, its spectrogram and relevance at once, the whole clip in view.
    // Unlike setClip + setRelevance this queues no replot of its own (each of those queues one,
    // which would run as a second full replot after the caller's): the caller replots once.
    void showFrame(const std::vector<float>& samples, int sampleRate, const signal::Spectrogram& spectrogram,
                   const std::vector<float>& relevance);
    void setSpectrogramMap(SpectrogramMap map);

    // What is drawn: the overlay's per-sample relevance and the clip under it.
    const std::vector<float>& relevance() const { return clip_.relevance; }
    const std::vector<float>& samples() const { return clip_.samples; }

    WaveformLayer* waveform() const { return waveform_; }
    SpectrogramLayer* spectrogram() const { return spectrogram_; }
    RelevanceStripLayer* strip() const { return strip_; }

protected:
    QString readoutAt(int row, double seconds, double value) const override;

private:
    void clipChanged();
    void relevanceChanged();

    ClipData clip_;
    WaveformLayer* waveform_;
    SpectrogramLayer* spectrogram_;
    RelevanceStripLayer* strip_;
    QCPItemText* placeholder_;
};

}  // namespace s4scope::views
