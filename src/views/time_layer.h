#pragma once
// One row of a time-linked plot (TimeLinkedPlot): what is drawn over the shared time axis in an
// axis rect of its own, such as the waveform with its relevance band, the spectrogram or the
// relevance per spectrogram frame. The plot makes the rect, links its time axis to the others,
// draws the crosshair and playhead through it and asks the row for its part of the readout; the
// row only draws its data. A new row is one class implementing this interface (a header is enough:
// a row needs no Qt meta-object, so nothing to register in CMake) and one addRow line in the
// plot that shows it. Rows never compute signals: they get finished data (ClipData).
#include <vector>

#include <QString>
#include <qcustomplot.h>

#include "signal/spectrogram.h"
#include "views/plot_theme.h"

namespace s4scope::views {

// What the rows of a plot show, computed before it reaches the plot (the spectrogram on a worker
// thread): the clip, its spectrogram and the relevance on display.
struct ClipData {
    std::vector<float> samples;
    int sampleRate = 16000;
    signal::Spectrogram spectrogram;  // of `samples`; empty in plots that draw none
    std::vector<float> relevance;     // one value per sample, or empty: no relevance shown
    double duration() const { return sampleRate > 0 ? double(samples.size()) / sampleRate : 0.0; }
};

// How a row sits in a stack of rows (TimeLinkedPlot::addRow).
struct RowLayout {
    double stretch = 1.0;                    // share of the plot's height
    int minimumHeight = 0;                   // of the data area, in pixels
    int maximumHeight = QWIDGETSIZE_MAX;
    bool colourScale = false;                // a colour bar beside the row
    bool joinsRowAbove = false;              // no gap to the row above, which then shows no time labels
};

class TimeLayer {
public:
    virtual ~TimeLayer() = default;

    virtual RowLayout layout() const { return {}; }
    // Creates the row's plottables in `rect`, whose bottom axis is the plot's shared time axis;
    // `scale` is its colour bar (null unless layout().colourScale asked for one). Called once,
    // first. The plottables belong to the plot; the destructor of a row that is removed while
    // the plot lives on removes them.
    virtual void attach(QCPAxisRect* rect, QCPColorScale* scale) = 0;
    // A new clip and its spectrogram (clip.relevance is then empty).
    virtual void setClip(const ClipData& clip) { (void)clip; }
    // clip.relevance changed (the clip did not).
    virtual void setRelevance(const ClipData& clip) { (void)clip; }
    // The visible time range changed (zoom, pan, resize, new data): rows drawn per pixel column
    // re-pool here.
    virtual void setTimeRange(const QCPRange& range) { (void)range; }
    // The row's part of the crosshair readout at `seconds` and the row's own y coordinate `value`
    // (the plot prefixes the time). Empty: nothing to add.
    virtual QString readout(double seconds, double value) const {
        (void)seconds, (void)value;
        return {};
    }
    virtual void applyPlotTheme(const PlotTheme& theme) { (void)theme; }
    // Amplitude zoom (Up/Down keys, Ctrl+wheel): scales the row's value axis by `factor` (< 1 zooms
    // in). Returns false for rows without an amplitude (the spectrogram's axis is frequency).
    virtual bool zoomValue(double factor) {
        (void)factor;
        return false;
    }
    virtual void resetValueZoom() {}
};

}  // namespace s4scope::views
