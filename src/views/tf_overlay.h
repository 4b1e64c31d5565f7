#pragma once
// R[f,t] drawn over a spectrogram (DESIGN.md §8): a colour map in the relevance colours whose
// alpha is 0 at R = 0 and rises to the chosen opacity at ±scale, so the spectrogram beneath shows
// through wherever the method sees little relevance. The spectrogram beneath is drawn in grey
// (spectrogramUnderOverlay) so that the overlay's red and blue stay the only colours. Used by the
// time–frequency tab, the comparison grid's TF rows and live mode's spectrogram. It draws a
// TfRelevance computed on a worker thread (signal::timeFrequencyRelevance); it computes nothing.
#include <QPointer>
#include <qcustomplot.h>

#include "signal/tf_relevance.h"
#include "views/plot_theme.h"

namespace s4scope::views {

// The spectrogram's colours under an overlay: quiet cells are the panel's colour (paper white, or
// the dark panel), loud ones move towards the text colour.
QCPColorGradient spectrogramUnderOverlay(const PlotTheme& theme);

class TfOverlay {
public:
    // A colour map on `time` (seconds) and `hz`, above what the rect already draws. The plot owns
    // the map; the destructor removes it unless the plot is gone.
    TfOverlay(QCPAxis* time, QCPAxis* hz);
    ~TfOverlay();
    TfOverlay(const TfOverlay&) = delete;
    TfOverlay& operator=(const TfOverlay&) = delete;

    // One cell per STFT frame and bin, centred on the frame's time and the bin's frequency.
    void setRelevance(const signal::TfRelevance& relevance);
    void clear();
    bool isEmpty() const { return relevance_.frames == 0; }
    const signal::TfRelevance& relevance() const { return relevance_; }

    // Colours span ±scale (values beyond saturate); a scale <= 0 gives ±1.
    void setScale(double scale);
    double scale() const { return scale_; }
    void setOpacity(double opacity);  // 0 .. 1: the alpha at ±scale
    double opacity() const { return opacity_; }
    void setVisible(bool visible);
    bool isVisible() const;
    // Zero is transparent whatever the theme; the theme sets the colours around it.
    void applyPlotTheme(const PlotTheme& theme);
    void setColourScale(QCPColorScale* scale);  // a colour bar showing the (opaque) relevance colours

    // What the map holds at (frame, bin): R[f,t] as handed in. NaN outside the map.
    double cell(int frame, int bin) const;
    // R[f,t] at a time (s) and frequency (Hz), nearest coefficient; NaN outside the map.
    double valueAt(double seconds, double hz) const;
    // The colour the overlay paints a value with, alpha included (premultiplied, as QCustomPlot
    // keeps its colours): alpha 0 at R = 0.
    QColor colourOf(double value) const;
    QCPColorMap* map() const { return map_; }

private:
    void updateGradient();

    QPointer<QCustomPlot> plot_;  // the map goes with the plot when the plot goes first
    QCPColorMap* map_;
    QCPColorScale* bar_ = nullptr;
    signal::TfRelevance relevance_;
    double scale_ = 1, opacity_ = 0.85;
    QColor zero_ = Qt::white;
};

}  // namespace s4scope::views
