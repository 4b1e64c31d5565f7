#pragma once
// The STFT magnitude (dB) of a clip as a QCPColorMap: one cell per frame and frequency bin, the
// frame's cell centred on its time so it lines up with the waveform and the relevance strip.
// It draws a spectrogram computed elsewhere (signal::computeSpectrogram, on a worker thread).
#include <memory>

#include <qcustomplot.h>

#include "signal/spectrogram.h"
#include "signal/tf_relevance.h"
#include "views/colour_maps.h"
#include "views/time_layer.h"

namespace s4scope::views {

class TfOverlay;

class SpectrogramLayer : public TimeLayer {
public:
    SpectrogramLayer();
    ~SpectrogramLayer() override;

    // TimeLayer: a little taller than the waveform, with its dB colour bar.
    RowLayout layout() const override;
    void attach(QCPAxisRect* rect, QCPColorScale* scale) override;
    void setClip(const ClipData& clip) override { setSpectrogram(clip.spectrogram); }
    QString readout(double seconds, double hz) const override;
    void applyPlotTheme(const PlotTheme& theme) override;

    // A copy reuses the storage of the previous spectrogram.
    void setSpectrogram(signal::Spectrogram&& spectrogram);
    void setSpectrogram(const signal::Spectrogram& spectrogram);
    void setColourMap(SpectrogramMap map);
    const signal::Spectrogram& spectrogram() const { return spectrogram_; }
    // dB at a time and frequency (floor outside), for the crosshair readout.
    float dbAt(double seconds, double hz) const;
    double dynamicRangeDb() const { return 80.0; }
    QCPColorMap* colourMap() const { return map_; }
    QCPAxisRect* rect() const { return rect_; }

    // Time–frequency relevance drawn over the spectrogram (DESIGN.md §8; live mode's option, the
    // comparison's TF rows): transparent at zero, colours over ±scale. While it shows, the
    // spectrogram is drawn in grey beneath it and the readout adds R[f,t]. Call after attach().
    void setRelevanceOverlay(const signal::TfRelevance& relevance, double scale);
    void setRelevanceOverlayScale(double scale);
    void clearRelevanceOverlay();
    bool hasRelevanceOverlay() const;
    const TfOverlay* relevanceOverlay() const { return overlay_.get(); }
    // The spectrogram's colour map under an overlay (grey) or its own (magma or viridis) otherwise.
    QCPColorGradient currentGradient() const { return map_->gradient(); }

private:
    void updateMap();
    void updateGradient();

    QCustomPlot* plot_ = nullptr;
    QCPAxisRect* rect_ = nullptr;
    QCPColorMap* map_ = nullptr;
    signal::Spectrogram spectrogram_;
    SpectrogramMap colours_ = SpectrogramMap::Magma;
    PlotTheme theme_ = PlotTheme::light();
    std::unique_ptr<TfOverlay> overlay_;  // created with the first relevance handed in
};

}  // namespace s4scope::views
