#pragma once
// Relevance in time and frequency (DESIGN.md §8): the spectrogram in grey with R[f,t] drawn over it
// in the relevance map (transparent at zero, opacity adjustable, can be hidden), and beside it the
// relevance per frequency (Σ over frames). The crosshair reads time, frequency, dB and R[f,t].
// It draws what signal::timeFrequencyRelevance computed on a worker thread.
#include <memory>
#include <vector>

#include "signal/spectrogram.h"
#include "signal/tf_relevance.h"
#include "views/plot_widget.h"

namespace s4scope::views {

class TfOverlay;

class TfRelevancePlot : public PlotWidget {
    Q_OBJECT
public:
    explicit TfRelevancePlot(QWidget* parent = nullptr);
    ~TfRelevancePlot() override;

    // A clip's display spectrogram and the relevance of one explanation of it. `duration` in seconds.
    void setData(const signal::Spectrogram& spectrogram, const signal::TfRelevance& relevance, double duration);
    void clear();
    // A title row above the map (figures); empty hides it.
    void setTitle(const QString& title);
    QString title() const;
    // Colour scale of R[f,t]: ±scale. 0 (the default) takes the 99.5th percentile of |R[f,t]| of this
    // map (DFT-LRP maps are heavy-tailed; larger values saturate); rows compared side by side pass one.
    // Callers that computed the scale on their worker (signal::robustScale) pass it here.
    void setRelevanceScale(double scale);
    double relevanceScale() const { return scale_; }
    double shownScale() const { return shownScale_; }  // the ± range the colours span now
    static double robustScale(const signal::TfRelevance& relevance);  // signal::robustScale

    void setOverlayShown(bool shown);
    bool overlayShown() const;
    void setOverlayOpacity(double opacity);  // 0 .. 1
    double overlayOpacity() const;

    // What is drawn: the relevance (as handed in), the overlay's cell at (frame, bin), the profile,
    // the spectrogram beneath (dB cells) and the overlay itself.
    const signal::TfRelevance& relevance() const { return relevance_; }
    double overlayCell(int frame, int bin) const;
    const std::vector<double>& frequencyProfile() const { return profile_; }
    const signal::Spectrogram& spectrogram() const { return spectrogram_; }
    double spectrogramCell(int frame, int bin) const;
    const TfOverlay& overlay() const { return *overlay_; }
    QCPAxisRect* mapRect() const { return mapRect_; }

    // "t 0.412 s   f 1240 Hz   -32.5 dB   R[f,t] +0.0123" at a point, as the crosshair shows it.
    QString readoutAt(double seconds, double hz) const;

signals:
    void readoutChanged(const QString& text);

protected:
    void applyPlotTheme(const PlotTheme& theme) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    QCPTextElement* title_;
    QCPAxisRect* mapRect_;
    QCPAxisRect* profileRect_;
    QCPColorMap* spectrogramMap_;
    std::unique_ptr<TfOverlay> overlay_;
    QCPColorScale* scaleBar_;
    QCPBars* profilePositive_;
    QCPBars* profileNegative_;
    QCPItemText* readout_;
    signal::Spectrogram spectrogram_;
    signal::TfRelevance relevance_;
    std::vector<double> profile_;
    double scale_ = 0, shownScale_ = 1;
};

}  // namespace s4scope::views
