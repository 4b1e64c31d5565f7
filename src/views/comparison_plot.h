#pragma once
// Several methods' relevance over the same clip: a grid of waveform + relevance rows sharing one
// time axis (TimeLinkedPlot: linked zoom and pan, crosshair, playhead) and, optionally, one colour
// scale so magnitudes compare.
#include <limits>
#include <vector>

#include "views/time_linked_plot.h"

namespace s4scope::views {

class WaveformLayer;

struct RelevanceMap {
    QString name;    // shown in the row's corner, e.g. "LRP-ε"
    QString detail;  // e.g. "12 ms"
    std::vector<float> relevance;
    // What the row header states, computed with the map on a worker (signal::relevanceStats, the
    // engine's Conservation): the data's own max |R| and ΣR, whatever the view's pooling or size.
    double maxAbs = std::numeric_limits<double>::quiet_NaN();
    double sum = std::numeric_limits<double>::quiet_NaN();
    QString conservation;  // e.g. "vs target logit 12.3: 1.6 % off"; empty: the method has none
};

class ComparisonPlot : public TimeLinkedPlot {
    Q_OBJECT
public:
    explicit ComparisonPlot(QWidget* parent = nullptr);
    ~ComparisonPlot() override;

    void setClip(const std::vector<float>& samples, int sampleRate);
    void setMaps(const std::vector<RelevanceMap>& maps);  // rebuilds the grid
    void setSharedScale(bool shared);

    bool sharedScale() const { return sharedScale_; }
    int mapCount() const { return int(layers_.size()); }
    const std::vector<float>& relevance(int index) const;
    QString mapName(int index) const;
    // The divisor each row's colours use: its own max |R| in view, or the shared one.
    double appliedScale(int index) const;
    int columnCount() const { return columns_; }
    // The row's header as drawn: name, detail, max |R|, ΣR and the conservation figure.
    QString rowHeader(int index) const;

protected:
    void timeRangeApplied(const QCPRange& range) override;
    void applyPlotTheme(const PlotTheme& theme) override;  // row headers and the colour bar follow it  // the shared (or per-row) colour scale
    QString readoutAt(int row, double seconds, double value) const override;

private:
    void rebuild();

    ClipData clip_;
    std::vector<RelevanceMap> maps_;
    std::vector<WaveformLayer*> layers_;
    std::vector<QCPItemText*> labels_;
    QCPLayoutGrid* grid_ = nullptr;
    QCPColorScale* scale_;
    bool sharedScale_ = true;
    int columns_ = 1;
};

}  // namespace s4scope::views
