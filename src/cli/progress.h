#pragma once
// Progress of a batch on stderr: a bar with rate and ETA redrawn in place on a terminal, plain
// lines (every 10% or 10 s) otherwise, so logs of cluster jobs stay readable. Thread-safe.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace s4scope::cli {

class Progress {
public:
    enum class Mode { Auto, Bar, Lines, Off };
    Progress(std::string what, int64_t total, std::string unit, Mode mode = Mode::Auto);
    ~Progress();

    void advance(int64_t n = 1);
    // Ends the bar's line; prints the summary "N units in S s (R units/s)".
    void finish(const std::string& note = "");
    double elapsedSeconds() const;
    double rate() const;  // units per second so far

private:
    void draw(bool force);

    std::string what_, unit_;
    int64_t total_;
    Mode mode_;
    std::atomic<int64_t> done_{0};
    std::mutex mutex_;
    std::chrono::steady_clock::time_point start_, lastDraw_;
    int64_t lastLineAt_ = 0;
    bool finished_ = false;
};

std::string formatDuration(double seconds);

}  // namespace s4scope::cli
