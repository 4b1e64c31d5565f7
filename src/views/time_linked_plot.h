#pragma once
// Base of the plots whose rows share one time axis (the explanation view, the comparison grid):
// a title, rows (TimeLayer) whose time axes zoom and pan together and never leave the clip, a
// crosshair and a playhead drawn through every row, and the mouse handling (readout, double-click
// to reset the zoom), written once here.
#include <memory>
#include <vector>

#include "views/file_time_ticker.h"
#include "views/plot_widget.h"
#include "views/time_layer.h"
#include "views/time_marker.h"

namespace s4scope::views {

class TimeLinkedPlot : public PlotWidget {
    Q_OBJECT
public:
    ~TimeLinkedPlot() override;

    // Appends `layer` as a row under the others, full width, its colour bar (if its layout asks for
    // one) beside it. The plot owns the layer; the pointer stays valid while the row exists.
    template <class Layer>
    Layer* addRow(std::unique_ptr<Layer> layer) {
        Layer* row = layer.get();
        stackRow(std::move(layer));
        return row;
    }
    int rowCount() const { return int(rows_.size()); }
    TimeLayer* rowLayer(int row) const { return rows_.at(size_t(row)).layer.get(); }
    QCPAxisRect* rowRect(int row) const { return rows_.at(size_t(row)).rect; }

    void setTitle(const QString& title);
    QString title() const;

    double duration() const { return duration_; }
    QCPRange timeRange() const { return range_; }
    // Clamped to the clip; every row follows. Emits timeRangeChanged when the range changes.
    void setTimeRange(const QCPRange& range);
    void resetZoom();
    void zoomBy(double factor);  // < 1 zooms in
    void panBy(double fraction);  // of the visible span; > 0 moves later in time
    // Scales the amplitude axis of every row that has one (< 1 zooms in). False: no such row.
    bool zoomAmplitude(double factor);
    void setPlayhead(double seconds);  // negative hides it
    // Where the clip begins in its file: the time axes and the readout show file time.
    void setTimeOrigin(double seconds);
    double timeOrigin() const { return ticker_->origin(); }

signals:
    void timeRangeChanged(const QCPRange& range);
    void readoutChanged(const QString& text);  // empty when the cursor leaves

protected:
    explicit TimeLinkedPlot(QWidget* parent = nullptr);

    // A row at (row, column) of `grid` (a layout the subclass manages), without a colour bar.
    TimeLayer* addRowAt(std::unique_ptr<TimeLayer> layer, QCPLayoutGrid* grid, int row, int column);
    // Removes every row and its plottables (the rects go with the layout elements holding them).
    void clearRows();
    // The clip's extent: the time axis stays within [0, duration] and spans >= 64 samples.
    void setTimeExtent(double duration, int sampleRate);
    // Hands every row the visible range again (after new data), then timeRangeApplied.
    void refreshRows();
    // The whole clip in view, every row refreshed whether the range changed or not (a new clip).
    void showWholeClip();
    // A framed readout in the first row's corner as well as the readoutChanged signal.
    void setReadoutBoxShown(bool shown) { readoutBoxShown_ = shown; }
    // Replots are queued; while held (one update made of several calls) none is.
    void requestReplot();
    void setReplotsHeld(bool held) { replotsHeld_ = held; }

    // After the rows got a new visible range (or new data): e.g. a colour scale shared by rows.
    virtual void timeRangeApplied(const QCPRange& range) { (void)range; }
    // The readout over `row` at `seconds`; the default is "t 0.1234 s" and the row's own part.
    virtual QString readoutAt(int row, double seconds, double value) const;

    void applyPlotTheme(const PlotTheme& theme) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    // Shift+drag: zoom to the dragged time span (a plain drag pans).
    void mousePressEvent(QMouseEvent* event) override;
    // Ctrl+wheel: amplitude zoom (the plain wheel zooms time).
    void wheelEvent(QWheelEvent* event) override;
    // Left/Right pan, +/- zoom time, Up/Down zoom the amplitude, Home shows everything.
    void keyPressEvent(QKeyEvent* event) override;
    // The readout is in the status bar: no tooltip (a parent's) is shown over the rows.
    bool event(QEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    struct Row {
        std::unique_ptr<TimeLayer> layer;
        QCPAxisRect* rect;
        QCPColorScale* scale;
        int pooledWidth;  // the rect's width when the row last got the range
    };

    void stackRow(std::unique_ptr<TimeLayer> layer);
    QCPAxisRect* newTimeRect();
    void adoptRow(std::unique_ptr<TimeLayer> layer, QCPAxisRect* rect, QCPColorScale* scale);
    void applyTimeRange(const QCPRange& range, bool force);
    void onAxisRangeChanged(const QCPRange& range);
    void zoomToPixels(const QRect& rect);
    void replotOverlay();
    int rowAt(const QPointF& position) const;

    std::vector<Row> rows_;
    QSharedPointer<FileTimeTicker> ticker_ = QSharedPointer<FileTimeTicker>::create();  // every row's time axis
    QCPTextElement* title_;
    QCPMarginGroup* columns_;  // the stacked rows' left and right edges line up
    QCPItemText* readoutBox_ = nullptr;
    std::unique_ptr<TimeMarker> crosshair_;
    std::unique_ptr<TimeMarker> playhead_;
    QCPRange range_{0, 1};
    double duration_ = 0;
    int sampleRate_ = 16000;
    bool syncing_ = false;
    bool replotsHeld_ = false;
    bool readoutBoxShown_ = false;
};

}  // namespace s4scope::views
