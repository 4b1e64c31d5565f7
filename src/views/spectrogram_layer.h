#pragma once
// The STFT magnitude (dB) of a clip as a QCPColorMap: one cell per frame and frequency bin, the
// frame's cell centred on its time so it lines up with the waveform and the relevance strip.
#include <vector>

#include <QObject>
#include <qcustomplot.h>

#include "views/colour_maps.h"
#include "views/stft.h"

namespace s4scope::views {

class SpectrogramLayer : public QObject {
    Q_OBJECT
public:
    // `scale` (may be null) shows the dB colour bar.
    SpectrogramLayer(QCPAxisRect* rect, QCPColorScale* scale);

    void setClip(const std::vector<float>& samples, int sampleRate);
    // The same from a spectrogram computed elsewhere (live mode computes it on its worker thread);
    // a copy reuses the storage of the previous one.
    void setSpectrogram(Spectrogram&& spectrogram);
    void setSpectrogram(const Spectrogram& spectrogram);
    void setColourMap(SpectrogramMap map);
    const Spectrogram& spectrogram() const { return spectrogram_; }
    // dB at a time and frequency (floor outside), for the crosshair readout.
    float dbAt(double seconds, double hz) const;
    double dynamicRangeDb() const { return 80.0; }

private:
    void updateMap();

    QCPAxisRect* rect_;
    QCPColorMap* map_;
    Spectrogram spectrogram_;
};

}  // namespace s4scope::views
