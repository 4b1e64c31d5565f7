#pragma once
// Several methods' relevance over the same clip: a grid of waveform + relevance rows sharing one
// time axis (TimeLinkedPlot: linked zoom and pan, crosshair, playhead) and, optionally, one colour
// scale so magnitudes compare. With time–frequency rows shown, each method's row is followed by its
// R[f,t] over the clip's spectrogram (DESIGN.md §8), on one shared range too.
#include <limits>
#include <memory>
#include <vector>

#include "signal/spectrogram.h"
#include "signal/tf_relevance.h"
#include "views/time_linked_plot.h"

namespace s4scope::views {

class WaveformLayer;
class SpectrogramLayer;
class TfOverlay;

struct RelevanceMap {
    QString name;    // shown in the row's corner, e.g. "LRP-ε"
    QString detail;  // e.g. "12 ms"
    std::vector<float> relevance;
    // What the row header states, computed with the map on a worker (signal::relevanceStats, the
    // engine's Conservation): the data's own max |R| and ΣR, whatever the view's pooling or size.
    double maxAbs = std::numeric_limits<double>::quiet_NaN();
    double sum = std::numeric_limits<double>::quiet_NaN();
    QString conservation;  // e.g. "vs target logit 12.3: 1.6 % off"; empty: the method has none
    // The same relevance in time and frequency (signal::compareInTimeFrequency, on the worker) and
    // its own colour range (signal::robustScale); null: no TF row for this method.
    std::shared_ptr<const signal::TfRelevance> tf;
    double tfScale = 0;
};

class ComparisonPlot : public TimeLinkedPlot {
    Q_OBJECT
public:
    explicit ComparisonPlot(QWidget* parent = nullptr);
    ~ComparisonPlot() override;

    void setClip(const std::vector<float>& samples, int sampleRate);
    void setMaps(const std::vector<RelevanceMap>& maps);  // rebuilds the grid
    void setSharedScale(bool shared);
    // The clip's display spectrogram, drawn in grey under the TF rows (computed on a worker).
    void setSpectrogram(const signal::Spectrogram& spectrogram);
    // One TF row under each method's row (for the maps that carry `tf`); rebuilds the grid.
    void setTimeFrequencyShown(bool shown);
    bool timeFrequencyShown() const { return tfShown_; }

    bool sharedScale() const { return sharedScale_; }
    int mapCount() const { return int(layers_.size()); }
    const std::vector<float>& relevance(int index) const;
    QString mapName(int index) const;
    // The divisor each row's colours use: its own max |R| in view, or the shared one.
    double appliedScale(int index) const;
    int columnCount() const { return columns_; }
    // The row's header: name, detail, max |R|, ΣR and the conservation figure; and what is drawn of
    // it: the fullest form that fits the row's width (at least the method's name).
    QString rowHeader(int index) const;
    QString shownRowHeader(int index) const;
    // The TF row of map `index` as drawn (null when it has none), its header and colour range (±).
    const TfOverlay* tfOverlay(int index) const;
    QString tfRowHeader(int index) const;
    double tfAppliedScale(int index) const;
    int tfRowCount() const;

protected:
    void timeRangeApplied(const QCPRange& range) override;
    void applyPlotTheme(const PlotTheme& theme) override;  // row headers and the colour bar follow it  // the shared (or per-row) colour scale
    QString readoutAt(int row, double seconds, double value) const override;

private:
    void rebuild();
    QCPItemText* addHeader(QCPAxisRect* rect, const QString& text, bool small);
    void applyTfScales();
    void fitHeaders();

    ClipData clip_;
    std::vector<RelevanceMap> maps_;
    std::vector<WaveformLayer*> layers_;
    std::vector<QCPItemText*> labels_;
    std::vector<QStringList> headers_;          // per map: its header, fullest first
    std::vector<SpectrogramLayer*> tfRows_;     // per map: its TF row or null
    std::vector<QCPItemText*> tfLabels_;        // per map: its TF row's header or null
    std::vector<int> rowMap_;                   // per plot row: the map it shows
    signal::Spectrogram spectrogram_;
    bool tfShown_ = false;
    QCPLayoutGrid* grid_ = nullptr;
    QCPColorScale* scale_;
    bool sharedScale_ = true;
    int columns_ = 1;
};

}  // namespace s4scope::views
