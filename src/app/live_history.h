#pragma once
// The history strip of live mode: what was shown over the last seconds, one coloured band per
// detection (a colour per class, grey for "no speech"), newest on the right, labelled where a
// detection starts.
#include <deque>
#include <string>
#include <vector>

#include <QWidget>

namespace s4scope::app {

class LiveHistoryStrip : public QWidget {
    Q_OBJECT
public:
    explicit LiveHistoryStrip(QWidget* parent = nullptr);

    void setLabels(const std::vector<std::string>& labels) { labels_ = labels; }
    void setSpanSeconds(double seconds) { span_ = seconds; update(); }
    // classIndex < 0: no speech.
    void add(double seconds, int classIndex, float confidence);
    void clear();

    // The detections in view, oldest first, collapsed into runs: "yes", "no speech", ...
    QStringList runs() const;
    QSize sizeHint() const override { return {600, 44}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    struct Entry {
        double t;
        int cls;
        float confidence;
    };
    QString name(int cls) const;
    std::deque<Entry> entries_;
    std::vector<std::string> labels_;
    double span_ = 8.0;
};

}  // namespace s4scope::app
