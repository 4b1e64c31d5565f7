#pragma once
// The waveform of a clip in one axis rect, with its relevance painted behind it as a diverging
// colour band (blue negative, white zero, red positive). Relevance is kept per sample (the
// overlay's data) and summed over the rect's pixel columns for display, re-pooled on every zoom.
// The waveform is drawn straight from the samples, reduced to each pixel column's minimum and
// maximum wherever a column holds two or more of them (as QCPGraph's adaptive sampling draws it),
// so a new clip costs no copy into a data container and a redraw strokes about two points per pixel.
// As a row (TimeLayer) it colours its band by its own max |R| in view, with a colour bar; the
// comparison grid drives pool() and applyScale() itself to share one scale across rows.
#include <vector>

#include <qcustomplot.h>

#include "views/time_layer.h"

namespace s4scope::views {

class WaveformTrace;

class WaveformLayer : public TimeLayer {
public:
    // `colourScale`: the row asks its plot for a colour bar (the explanation view's relevance bar).
    explicit WaveformLayer(bool colourScale = true) : colourScale_(colourScale) {}
    ~WaveformLayer() override;

    // TimeLayer
    RowLayout layout() const override;
    void attach(QCPAxisRect* rect, QCPColorScale* scale) override;
    void setClip(const ClipData& clip) override { setClip(clip.samples, clip.sampleRate); }
    void setRelevance(const ClipData& clip) override { setRelevance(clip.relevance); }
    void setTimeRange(const QCPRange& range) override;  // pool() and applyScale(its max |R|)
    QString readout(double seconds, double value) const override;
    void applyPlotTheme(const PlotTheme& theme) override;
    bool zoomValue(double factor) override;  // about zero, from the clip's peak down to 1/1000 of it
    void resetValueZoom() override;

    void setClip(const std::vector<float>& samples, int sampleRate);
    void setRelevance(const std::vector<float>& relevance);  // one value per sample, or empty
    const std::vector<float>& relevance() const { return relevance_; }
    const std::vector<float>& samples() const;
    int sampleRate() const { return sampleRate_; }
    double duration() const;
    bool hasRelevance() const { return !relevance_.empty(); }

    // Sums relevance over the rect's pixel columns for the visible time range. Returns the
    // largest |sum| in view (0 without relevance): the scale of this view.
    double pool();
    double pooledMaxAbs() const { return pooledMaxAbs_; }
    // Colours the pooled sums divided by `scale` (this view's max |R| or one shared by a comparison).
    void applyScale(double scale);
    double appliedScale() const { return scale_; }

    // Values at a time, for the crosshair readout (0 outside the clip).
    float amplitudeAt(double seconds) const;
    float relevanceAt(double seconds) const;

    void setWaveformColour(const QColor& colour);
    QCPAxisRect* rect() const { return rect_; }
    QCPColorMap* colourMap() const { return map_; }

private:
    long sampleIndex(double seconds) const;

    bool colourScale_;
    QCustomPlot* plot_ = nullptr;
    QCPAxisRect* rect_ = nullptr;
    QCPColorScale* colourBar_ = nullptr;
    WaveformTrace* trace_ = nullptr;  // holds the samples
    QCPColorMap* map_ = nullptr;
    std::vector<float> relevance_;
    std::vector<double> pooled_;
    int sampleRate_ = 16000;
    double pooledMaxAbs_ = 0;
    double scale_ = 0;
    double peak_ = 0.01;  // the clip's max |amplitude|: the value axis spans ±1.1 peak unzoomed
};

}  // namespace s4scope::views
