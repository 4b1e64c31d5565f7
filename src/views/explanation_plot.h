#pragma once
// The main view of one explanation: waveform with relevance behind it, the spectrogram, and the
// relevance per spectrogram column under it; one time axis for all three (linked zoom and pan),
// a crosshair readout and a playback playhead.
#include <memory>
#include <vector>

#include "views/colour_maps.h"
#include "views/plot_widget.h"
#include "views/stft.h"
#include "views/time_marker.h"

namespace s4scope::views {

class WaveformLayer;
class SpectrogramLayer;
class RelevanceStripLayer;

class ExplanationPlot : public PlotWidget {
    Q_OBJECT
public:
    explicit ExplanationPlot(QWidget* parent = nullptr);
    ~ExplanationPlot() override;

    void setClip(const std::vector<float>& samples, int sampleRate);
    // With the clip's spectrogram already computed (computeSpectrogram of the same samples).
    void setClip(const std::vector<float>& samples, int sampleRate, Spectrogram spectrogram);
    void setRelevance(const std::vector<float>& relevance);  // empty: no overlay
    // Live mode's update: clip, its spectrogram and relevance at once, the whole clip in view.
    // Unlike setClip + setRelevance this queues no replot of its own (each of those queues one,
    // which would run as a second full replot after the caller's): the caller replots once.
    void showFrame(const std::vector<float>& samples, int sampleRate, const Spectrogram& spectrogram,
                   const std::vector<float>& relevance);
    void setTitle(const QString& title);
    void setSpectrogramMap(SpectrogramMap map);

    // What is drawn: the overlay's per-sample relevance and the clip under it.
    const std::vector<float>& relevance() const;
    const std::vector<float>& samples() const;
    double duration() const;

    QCPRange timeRange() const;
    void setTimeRange(const QCPRange& range);
    void resetZoom();
    void zoomBy(double factor);

    void setPlayhead(double seconds);  // negative hides it

    WaveformLayer* waveform() const { return waveform_; }
    SpectrogramLayer* spectrogram() const { return spectrogram_; }
    RelevanceStripLayer* strip() const { return strip_; }

signals:
    void timeRangeChanged(const QCPRange& range);
    void readoutChanged(const QString& text);  // empty when the cursor leaves

protected:
    void applyPlotTheme(const PlotTheme& theme) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    void onAxisRangeChanged(const QCPRange& range);
    void requestReplot();   // a queued full replot, unless showFrame is running
    void replotOverlay();   // crosshair, readout and playhead only: their buffered layer
    void updateRelevanceColours();
    void updateStrip();
    QString readoutAt(const QPointF& position) const;

    QCPTextElement* title_;
    QCPAxisRect* waveRect_;
    QCPAxisRect* spectroRect_;
    QCPAxisRect* stripRect_;
    QCPColorScale* relevanceScale_;
    QCPColorScale* dbScale_;
    WaveformLayer* waveform_;
    SpectrogramLayer* spectrogram_;
    RelevanceStripLayer* strip_;
    QCPItemText* readout_;
    QCPItemText* placeholder_;
    std::unique_ptr<TimeMarker> crosshair_;
    std::unique_ptr<TimeMarker> playhead_;
    bool syncing_ = false;
    bool holdReplots_ = false;
};

}  // namespace s4scope::views
