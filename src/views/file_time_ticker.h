#pragma once
// The time axis of an analysed second in the file's time (DESIGN.md §9): the rows draw the clip
// from 0, the ticks are placed and labelled at round file times (1.0–2.0 s for the second at 1.0 s,
// 1.3, 1.5 … for one at 1.234 s), so the data never moves when the origin does.
#include <qcustomplot.h>

namespace s4scope::views {

class FileTimeTicker : public QCPAxisTicker {
public:
    void setOrigin(double seconds) { origin_ = seconds; }
    double origin() const { return origin_; }

    void generate(const QCPRange& range, const QLocale& locale, QChar formatChar, int precision, QVector<double>& ticks,
                  QVector<double>* subTicks, QVector<QString>* tickLabels) override {
        // Ticks chosen and labelled in file time, then shifted back to the clip's coordinates.
        QCPAxisTicker::generate(QCPRange(range.lower + origin_, range.upper + origin_), locale, formatChar, precision, ticks,
                                subTicks, tickLabels);
        for (double& t : ticks) t -= origin_;
        if (subTicks)
            for (double& t : *subTicks) t -= origin_;
    }

private:
    double origin_ = 0;
};

// How titles name the analysed second: "yes.wav (1.00–2.00 s)", in the file's time.
inline QString clipTimeTitle(const QString& fileName, double offsetSeconds, double lengthSeconds) {
    return QStringLiteral("%1 (%2–%3 s)").arg(fileName).arg(offsetSeconds, 0, 'f', 2).arg(offsetSeconds + lengthSeconds, 0, 'f', 2);
}

}  // namespace s4scope::views
