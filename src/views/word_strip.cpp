#include "views/word_strip.h"

#include "views/interval_marker.h"
#include "views/waveform_layer.h"

namespace s4scope::views {

WordStrip::WordStrip(QWidget* parent) : TimeLinkedPlot(parent) {
    waveform_ = addRow(std::make_unique<WaveformLayer>(false));
    // A short row: two amplitude ticks, no label, so the numbers do not run into each other.
    QCPAxis* amplitude = rowRect(0)->axis(QCPAxis::atLeft);
    amplitude->ticker()->setTickCount(2);
    amplitude->setLabel(QString());
    marker_ = new IntervalMarker(this);
    marker_->setPlainDragMarks(true);
    setInteractions(QCP::iRangeZoom);  // a plain drag marks the word instead of panning
    setMinimumHeight(110);
    setMaximumHeight(150);
    refreshTheme();
}

WordStrip::~WordStrip() = default;

void WordStrip::setClip(const std::vector<float>& samples, int sampleRate) {
    waveform_->setClip(samples, sampleRate);
    setTimeExtent(sampleRate > 0 ? double(samples.size()) / sampleRate : 0.0, sampleRate);
    showWholeClip();
    marker_->setInterval(marker_->interval());  // the band follows the new axes
}

}  // namespace s4scope::views
