#include "views/time_range.h"

#include <algorithm>

namespace s4scope::views {

QCPRange clampTimeRange(const QCPRange& range, double duration, double minimumSpan) {
    if (duration <= 0) return range;
    double span = std::clamp(range.size(), std::min(minimumSpan, duration), duration);
    double lower = range.center() - span / 2;
    lower = std::clamp(lower, 0.0, duration - span);
    return QCPRange(lower, lower + span);
}

QCPRange zoomedTimeRange(const QCPRange& range, double factor) {
    const double half = range.size() * factor / 2;
    return QCPRange(range.center() - half, range.center() + half);
}

}  // namespace s4scope::views
