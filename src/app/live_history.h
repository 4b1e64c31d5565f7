#pragma once
// The history strip of live mode: what was shown over the last seconds, one coloured band per
// detection (a colour per class, grey for "no speech"), newest on the right, labelled where a
// detection starts.
#include <deque>
#include <map>
#include <string>
#include <vector>

#include <QStaticText>
#include <QWidget>

namespace s4scope::app {

class LiveHistoryStrip : public QWidget {
    Q_OBJECT
public:
    explicit LiveHistoryStrip(QWidget* parent = nullptr);

    void setLabels(const std::vector<std::string>& labels);
    void setSpanSeconds(double seconds) { span_ = seconds; update(); }
    // classIndex < 0: no speech.
    void add(double seconds, int classIndex, float confidence);
    void clear();

    // The detections in view, oldest first, collapsed into runs: "yes", "no speech", ...
    QStringList runs() const;
    QSize sizeHint() const override { return {600, 44}; }

protected:
    void paintEvent(QPaintEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    struct Entry {
        double t;
        int cls;
        float confidence;
    };
    QString name(int cls) const;
    static constexpr int kNowText = -2;
    // Each label laid out once (the strip repaints with every live result), per class and "now".
    const QStaticText& text(int cls);
    std::map<int, QStaticText> texts_;
    std::deque<Entry> entries_;
    std::vector<std::string> labels_;
    double span_ = 8.0;
};

}  // namespace s4scope::app
