#pragma once
// The overview of a long recording: its minimum and maximum per display column, so an hour of
// audio draws as a few hundred vertical bars. Computed on a worker thread (DESIGN.md §7, §9): a
// view only draws the bars it is given.
#include <vector>

namespace s4scope::signal {

struct Envelope {
    std::vector<float> minimum, maximum;  // one per column; equal sizes
    int columns() const { return int(minimum.size()); }
};

// Column c covers samples [c * n / columns, (c + 1) * n / columns) (at least one sample each, so
// a recording shorter than `columns` repeats samples rather than leaving gaps). Empty samples or
// columns <= 0: an empty envelope.
Envelope minMaxEnvelope(const std::vector<float>& samples, int columns);

}  // namespace s4scope::signal
