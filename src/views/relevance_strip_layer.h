#pragma once
// Relevance summed per spectrogram frame, drawn as a one-row colour band under the spectrogram:
// each cell covers exactly the hop centred on its spectrogram column. As a row it joins the row
// above (the spectrogram) and carries the time axis for it.
#include <vector>

#include <qcustomplot.h>

#include "views/time_layer.h"

namespace s4scope::views {

class RelevanceStripLayer : public TimeLayer {
public:
    RelevanceStripLayer() = default;
    ~RelevanceStripLayer() override;

    // TimeLayer
    RowLayout layout() const override;
    void attach(QCPAxisRect* rect, QCPColorScale* scale) override;
    void setClip(const ClipData& clip) override;     // clears; the frames follow clip.spectrogram
    void setRelevance(const ClipData& clip) override;
    QString readout(double seconds, double value) const override;  // "R/frame ..." once there is relevance
    void applyPlotTheme(const PlotTheme& theme) override;

    // `hopSamples` and `frames` come from the spectrogram the strip sits under.
    void setRelevance(const std::vector<float>& relevance, int sampleRate, int hopSamples, int frames);
    void clear();
    const std::vector<double>& perFrame() const { return perFrame_; }
    double maxAbs() const { return maxAbs_; }
    double frameRelevanceAt(double seconds) const;

private:
    QCustomPlot* plot_ = nullptr;
    QCPColorMap* map_ = nullptr;
    QCPAxisRect* rect_ = nullptr;
    std::vector<double> perFrame_;
    double maxAbs_ = 0;
    double hopSeconds_ = 0.01;
};

}  // namespace s4scope::views
