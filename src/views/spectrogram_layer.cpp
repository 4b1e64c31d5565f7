#include "views/spectrogram_layer.h"

#include <algorithm>
#include <cmath>

namespace s4scope::views {

SpectrogramLayer::SpectrogramLayer(QCPAxisRect* rect, QCPColorScale* scale) : QObject(rect), rect_(rect) {
    QCPAxis* x = rect->axis(QCPAxis::atBottom);
    QCPAxis* y = rect->axis(QCPAxis::atLeft);
    map_ = new QCPColorMap(x, y);
    map_->setInterpolate(false);  // honest cells: one per STFT frame and bin
    map_->setSelectable(QCP::stNone);
    if (scale) {
        map_->setColorScale(scale);  // adopts the scale's gradient: set ours again below
        scale->axis()->setLabel(QStringLiteral("magnitude (dB)"));
    }
    map_->setGradient(spectrogramGradient(SpectrogramMap::Magma));
    y->setLabel(QStringLiteral("frequency (Hz)"));
    x->setLabel(QStringLiteral("time (s)"));
}

void SpectrogramLayer::setClip(const std::vector<float>& samples, int sampleRate) {
    setSpectrogram(computeSpectrogram(samples, sampleRate));
}

void SpectrogramLayer::setSpectrogram(Spectrogram spectrogram) {
    spectrogram_ = std::move(spectrogram);
    const Spectrogram& s = spectrogram_;
    const int sampleRate = s.sampleRate;
    if (s.frames < 2) {
        map_->data()->clear();
        return;
    }
    map_->data()->setSize(s.frames, s.bins);
    map_->data()->setRange(QCPRange(s.frameTime(0), s.frameTime(s.frames - 1)), QCPRange(0, (s.bins - 1) * s.binHz));
    for (int f = 0; f < s.frames; ++f)
        for (int b = 0; b < s.bins; ++b) map_->data()->setCell(f, b, s.at(f, b));
    const double top = std::ceil(s.maxDb() / 10.0) * 10.0;
    map_->setDataRange(QCPRange(top - dynamicRangeDb(), top));
    rect_->axis(QCPAxis::atLeft)->setRange(0, sampleRate / 2.0);
}

void SpectrogramLayer::setColourMap(SpectrogramMap map) { map_->setGradient(spectrogramGradient(map)); }

float SpectrogramLayer::dbAt(double seconds, double hz) const {
    const Spectrogram& s = spectrogram_;
    if (s.frames == 0) return 0.f;
    const int frame = int(std::lround(seconds * s.sampleRate / s.hopSamples));
    const int bin = int(std::lround(hz / s.binHz));
    if (frame < 0 || frame >= s.frames || bin < 0 || bin >= s.bins) return -120.f;
    return s.at(frame, bin);
}

}  // namespace s4scope::views
