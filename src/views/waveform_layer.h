#pragma once
// The waveform of a clip in one axis rect, with its relevance painted behind it as a diverging
// colour band (blue negative, white zero, red positive). Relevance is kept per sample (the
// overlay's data) and summed over the rect's pixel columns for display, re-pooled on every zoom.
// The waveform is drawn straight from the samples, reduced to each pixel column's minimum and
// maximum wherever a column holds two or more of them (as QCPGraph's adaptive sampling draws it),
// so a new clip costs no copy into a data container and a redraw strokes about two points per pixel.
#include <vector>

#include <QObject>
#include <qcustomplot.h>

namespace s4scope::views {

class WaveformTrace;

class WaveformLayer : public QObject {
    Q_OBJECT
public:
    explicit WaveformLayer(QCPAxisRect* rect);

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

    QCPAxisRect* rect_;
    WaveformTrace* trace_;  // holds the samples
    QCPColorMap* map_;
    std::vector<float> relevance_;
    std::vector<double> pooled_;
    int sampleRate_ = 16000;
    double pooledMaxAbs_ = 0;
    double scale_ = 0;
};

}  // namespace s4scope::views
