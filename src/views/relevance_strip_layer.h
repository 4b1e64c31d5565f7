#pragma once
// Relevance summed per spectrogram frame, drawn as a one-row colour band under the spectrogram:
// each cell covers exactly the hop centred on its spectrogram column.
#include <vector>

#include <QObject>
#include <qcustomplot.h>

namespace s4scope::views {

class RelevanceStripLayer : public QObject {
    Q_OBJECT
public:
    explicit RelevanceStripLayer(QCPAxisRect* rect);

    // `hopSamples` and `frames` come from the spectrogram the strip sits under.
    void setRelevance(const std::vector<float>& relevance, int sampleRate, int hopSamples, int frames);
    void clear();
    const std::vector<double>& perFrame() const { return perFrame_; }
    double maxAbs() const { return maxAbs_; }
    double frameRelevanceAt(double seconds) const;

private:
    QCPAxisRect* rect_;
    QCPColorMap* map_;
    std::vector<double> perFrame_;
    double maxAbs_ = 0;
    double hopSeconds_ = 0.01;
};

}  // namespace s4scope::views
