#include "views/spectrogram_layer.h"

#include <algorithm>
#include <cmath>

#include "views/tf_overlay.h"

namespace s4scope::views {
namespace {

// QCPColorMapData written as a whole: its cells in one pass instead of one setCell call each.
class MapCells : public QCPColorMapData {
public:
    MapCells() : QCPColorMapData(0, 0, QCPRange(0, 1), QCPRange(0, 1)) {}
    // Cell (key, value) is at [value * keySize + key]. Marks the map's image for recolouring.
    double* cells() {
        mDataModified = true;
        return mData;
    }
};

}  // namespace

SpectrogramLayer::SpectrogramLayer() = default;

SpectrogramLayer::~SpectrogramLayer() {
    overlay_.reset();  // its map first, while the plot is there
    if (plot_) plot_->removePlottable(map_);
}

RowLayout SpectrogramLayer::layout() const {
    RowLayout layout;
    layout.stretch = 1.15;
    layout.colourScale = true;
    return layout;
}

void SpectrogramLayer::attach(QCPAxisRect* rect, QCPColorScale* scale) {
    plot_ = rect->parentPlot();
    rect_ = rect;
    QCPAxis* x = rect->axis(QCPAxis::atBottom);
    QCPAxis* y = rect->axis(QCPAxis::atLeft);
    map_ = new QCPColorMap(x, y);
    map_->setData(new MapCells, false);  // the map owns it
    map_->setInterpolate(false);  // honest cells: one per STFT frame and bin
    map_->setSelectable(QCP::stNone);
    if (scale) {
        map_->setColorScale(scale);  // adopts the scale's gradient: set ours again below
        scale->axis()->setLabel(QStringLiteral("magnitude (dB)"));
    }
    map_->setGradient(spectrogramGradient(colours_));
    y->setLabel(QStringLiteral("frequency (Hz)"));
    x->setLabel(QStringLiteral("time (s)"));
    y->setRange(0, 8000);
}

QString SpectrogramLayer::readout(double seconds, double hz) const {
    QString text = QStringLiteral("f %1 Hz   %2 dB").arg(hz, 0, 'f', 0).arg(dbAt(seconds, hz), 0, 'f', 1);
    if (hasRelevanceOverlay()) {
        const double r = overlay_->valueAt(seconds, hz);
        if (std::isfinite(r)) text += QStringLiteral("   R[f,t] %1").arg(r, 0, 'g', 3);
    }
    return text;
}

void SpectrogramLayer::applyPlotTheme(const PlotTheme& theme) {
    theme_ = theme;
    if (overlay_) overlay_->applyPlotTheme(theme);
    updateGradient();
}

void SpectrogramLayer::setRelevanceOverlay(const signal::TfRelevance& relevance, double scale) {
    if (!map_) return;
    if (!overlay_) {
        overlay_ = std::make_unique<TfOverlay>(rect_->axis(QCPAxis::atBottom), rect_->axis(QCPAxis::atLeft));
        overlay_->applyPlotTheme(theme_);
    }
    overlay_->setRelevance(relevance);
    overlay_->setScale(scale);
    overlay_->setVisible(true);
    updateGradient();
}

void SpectrogramLayer::setRelevanceOverlayScale(double scale) {
    if (overlay_) overlay_->setScale(scale);
}

void SpectrogramLayer::clearRelevanceOverlay() {
    if (!overlay_) return;
    overlay_->clear();
    overlay_->setVisible(false);
    updateGradient();
}

bool SpectrogramLayer::hasRelevanceOverlay() const { return overlay_ && overlay_->isVisible() && !overlay_->isEmpty(); }

void SpectrogramLayer::updateGradient() {
    if (map_) map_->setGradient(hasRelevanceOverlay() ? spectrogramUnderOverlay(theme_) : spectrogramGradient(colours_));
}

void SpectrogramLayer::setSpectrogram(signal::Spectrogram&& spectrogram) {
    spectrogram_ = std::move(spectrogram);
    updateMap();
}

void SpectrogramLayer::setSpectrogram(const signal::Spectrogram& spectrogram) {
    spectrogram_ = spectrogram;
    updateMap();
}

void SpectrogramLayer::updateMap() {
    const signal::Spectrogram& s = spectrogram_;
    const int sampleRate = s.sampleRate;
    auto* data = static_cast<MapCells*>(map_->data());
    if (s.frames < 2) {
        data->clear();
        return;
    }
    data->setSize(s.frames, s.bins);  // reallocates only when the size changes
    data->setRange(QCPRange(s.frameTime(0), s.frameTime(s.frames - 1)), QCPRange(0, (s.bins - 1) * s.binHz));
    double* cells = data->cells();  // bin-major; the spectrogram is frame-major
    for (int f = 0; f < s.frames; ++f) {
        const float* column = s.db.data() + size_t(f) * size_t(s.bins);
        for (int b = 0; b < s.bins; ++b) cells[size_t(b) * size_t(s.frames) + size_t(f)] = column[b];
    }
    // The range ends at the clip's loudest cell, but never starts below the floor silence is
    // clamped to: a silent (or nearly silent) clip then draws in the darkest colours. Anchored on
    // the maximum alone, digital silence (every cell at the floor) became the top of its own range,
    // the brightest colour.
    const double top = std::max(std::ceil(s.maxDb() / 10.0) * 10.0, double(s.floorDb) + dynamicRangeDb());
    map_->setDataRange(QCPRange(top - dynamicRangeDb(), top));
    rect_->axis(QCPAxis::atLeft)->setRange(0, sampleRate / 2.0);
}

void SpectrogramLayer::setColourMap(SpectrogramMap map) {
    colours_ = map;
    updateGradient();
}

float SpectrogramLayer::dbAt(double seconds, double hz) const {
    const signal::Spectrogram& s = spectrogram_;
    if (s.frames == 0) return 0.f;
    const int frame = int(std::lround(seconds * s.sampleRate / s.hopSamples));
    const int bin = int(std::lround(hz / s.binHz));
    if (frame < 0 || frame >= s.frames || bin < 0 || bin >= s.bins) return -120.f;
    return s.at(frame, bin);
}

}  // namespace s4scope::views
