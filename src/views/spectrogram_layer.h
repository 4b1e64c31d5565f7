#pragma once
// The STFT magnitude (dB) of a clip as a QCPColorMap: one cell per frame and frequency bin, the
// frame's cell centred on its time so it lines up with the waveform and the relevance strip.
// It draws a spectrogram computed elsewhere (signal::computeSpectrogram, on a worker thread).
#include <qcustomplot.h>

#include "signal/spectrogram.h"
#include "views/colour_maps.h"
#include "views/time_layer.h"

namespace s4scope::views {

class SpectrogramLayer : public TimeLayer {
public:
    SpectrogramLayer() = default;
    ~SpectrogramLayer() override;

    // TimeLayer: a little taller than the waveform, with its dB colour bar.
    RowLayout layout() const override;
    void attach(QCPAxisRect* rect, QCPColorScale* scale) override;
    void setClip(const ClipData& clip) override { setSpectrogram(clip.spectrogram); }
    QString readout(double seconds, double hz) const override;

    // A copy reuses the storage of the previous spectrogram.
    void setSpectrogram(signal::Spectrogram&& spectrogram);
    void setSpectrogram(const signal::Spectrogram& spectrogram);
    void setColourMap(SpectrogramMap map);
    const signal::Spectrogram& spectrogram() const { return spectrogram_; }
    // dB at a time and frequency (floor outside), for the crosshair readout.
    float dbAt(double seconds, double hz) const;
    double dynamicRangeDb() const { return 80.0; }
    QCPColorMap* colourMap() const { return map_; }

private:
    void updateMap();

    QCustomPlot* plot_ = nullptr;
    QCPAxisRect* rect_ = nullptr;
    QCPColorMap* map_ = nullptr;
    signal::Spectrogram spectrogram_;
};

}  // namespace s4scope::views
