#pragma once
// Several methods' relevance over the same clip: a grid of waveform + relevance views sharing one
// time axis (linked zoom and pan) and, optionally, one colour scale so magnitudes compare.
#include <memory>
#include <vector>

#include "views/plot_widget.h"
#include "views/time_marker.h"

namespace s4scope::views {

class WaveformLayer;

struct RelevanceMap {
    QString name;    // shown in the row's corner, e.g. "LRP-ε"
    QString detail;  // e.g. "12 ms"
    std::vector<float> relevance;
};

class ComparisonPlot : public PlotWidget {
    Q_OBJECT
public:
    explicit ComparisonPlot(QWidget* parent = nullptr);
    ~ComparisonPlot() override;

    void setClip(const std::vector<float>& samples, int sampleRate);
    void setMaps(const std::vector<RelevanceMap>& maps);  // rebuilds the grid
    void setSharedScale(bool shared);
    void setTitle(const QString& title);

    bool sharedScale() const { return sharedScale_; }
    int mapCount() const { return int(layers_.size()); }
    const std::vector<float>& relevance(int index) const;
    QString mapName(int index) const;
    // The divisor each row's colours use: its own max |R| in view, or the shared one.
    double appliedScale(int index) const;
    int columnCount() const { return columns_; }

    QCPRange timeRange() const { return range_; }
    void setTimeRange(const QCPRange& range);
    void resetZoom();
    void setPlayhead(double seconds);  // negative hides it

signals:
    void timeRangeChanged(const QCPRange& range);
    void readoutChanged(const QString& text);

protected:
    void applyPlotTheme(const PlotTheme& theme) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    void rebuild();
    void onAxisRangeChanged(const QCPRange& range);
    void updateColours();
    double duration() const;

    std::vector<float> samples_;
    int sampleRate_ = 16000;
    std::vector<RelevanceMap> maps_;
    std::vector<WaveformLayer*> layers_;
    std::vector<QCPItemText*> labels_;
    QCPTextElement* title_ = nullptr;
    QCPColorScale* scale_ = nullptr;
    QString titleText_;
    std::unique_ptr<TimeMarker> crosshair_;
    std::unique_ptr<TimeMarker> playhead_;
    QCPRange range_{0, 1};
    bool sharedScale_ = true;
    bool syncing_ = false;
    int columns_ = 1;
};

}  // namespace s4scope::views
