#include "progress.h"

#include <cmath>
#include <cstdio>

#include <unistd.h>

namespace s4scope::cli {

std::string formatDuration(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0) return "--:--";
    const long s = std::lround(seconds);
    char text[32];
    if (s >= 3600) std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    else std::snprintf(text, sizeof text, "%ld:%02ld", s / 60, s % 60);
    return text;
}

Progress::Progress(std::string what, int64_t total, std::string unit, Mode mode)
    : what_(std::move(what)), unit_(std::move(unit)), total_(total), mode_(mode),
      start_(std::chrono::steady_clock::now()), lastDraw_(start_) {
    if (mode_ == Mode::Auto) mode_ = isatty(STDERR_FILENO) ? Mode::Bar : Mode::Lines;
}

Progress::~Progress() {
    if (!finished_ && mode_ == Mode::Bar) std::fputc('\n', stderr);
}

double Progress::elapsedSeconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

double Progress::rate() const {
    const double t = elapsedSeconds();
    return t > 0 ? double(done_.load()) / t : 0.0;
}

void Progress::advance(int64_t n) {
    done_ += n;
    draw(false);
}

void Progress::draw(bool force) {
    if (mode_ == Mode::Off) return;
    std::unique_lock<std::mutex> lock(mutex_, std::try_to_lock);
    if (!lock.owns_lock() && !force) return;  // another thread is drawing: skip this update
    if (!lock.owns_lock()) lock.lock();
    const auto now = std::chrono::steady_clock::now();
    const int64_t done = done_.load();
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const double rate = elapsed > 0 ? done / elapsed : 0.0;
    const double eta = rate > 0 ? (total_ - done) / rate : -1;
    const double fraction = total_ > 0 ? double(done) / total_ : 1.0;
    if (mode_ == Mode::Bar) {
        if (!force && now - lastDraw_ < std::chrono::milliseconds(100)) return;
        const int width = 30, filled = int(std::lround(fraction * width));
        std::fprintf(stderr, "\r%s [%s%s] %lld/%lld %3.0f%%  %.1f %s/s  ETA %s \x1b[K", what_.c_str(),
                     std::string(size_t(filled), '#').c_str(), std::string(size_t(width - filled), '.').c_str(),
                     (long long)done, (long long)total_, 100 * fraction, rate, unit_.c_str(), formatDuration(eta).c_str());
        std::fflush(stderr);
    } else {
        const bool step = total_ > 0 && done * 10 / std::max<int64_t>(1, total_) > lastLineAt_ * 10 / std::max<int64_t>(1, total_);
        if (!force && !step && now - lastDraw_ < std::chrono::seconds(10)) return;
        if (!force && done == lastLineAt_) return;
        std::fprintf(stderr, "%s: %lld/%lld %s (%.0f%%), %.1f %s/s, ETA %s\n", what_.c_str(), (long long)done,
                     (long long)total_, unit_.c_str(), 100 * fraction, rate, unit_.c_str(), formatDuration(eta).c_str());
        lastLineAt_ = done;
    }
    lastDraw_ = now;
}

void Progress::finish(const std::string& note) {
    if (finished_) return;
    if (mode_ == Mode::Bar) {
        draw(true);
        std::fputc('\n', stderr);
    }
    finished_ = true;
    if (mode_ == Mode::Off) return;
    const double t = elapsedSeconds();
    std::fprintf(stderr, "%s: %lld %s in %.2f s (%.1f %s/s)%s%s\n", what_.c_str(), (long long)done_.load(), unit_.c_str(), t,
                 t > 0 ? done_.load() / t : 0.0, unit_.c_str(), note.empty() ? "" : ", ", note.c_str());
}

}  // namespace s4scope::cli
