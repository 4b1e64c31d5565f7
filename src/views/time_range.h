#pragma once
// Shared rules of the time axis: views never scroll past the clip and never zoom below a few samples.
#include <qcustomplot.h>

namespace s4scope::views {

// Keeps `range` inside [0, duration] (shifting it back in when possible) and at least
// `minimumSpan` wide.
QCPRange clampTimeRange(const QCPRange& range, double duration, double minimumSpan);
// `range` scaled by `factor` about its centre (factor < 1 zooms in).
QCPRange zoomedTimeRange(const QCPRange& range, double factor);

}  // namespace s4scope::views
