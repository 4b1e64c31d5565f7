#include "app/recording_panel.h"

#include <QAction>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QToolButton>
#include <QVBoxLayout>

namespace s4scope::app {

RecordingPanel::RecordingPanel(QAction* scan, QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 2);
    layout->setSpacing(2);

    auto* controls = new QHBoxLayout;
    controls->setSpacing(6);
    auto* offsetLabel = new QLabel(tr("Analysed second starts at"), this);
    offset_ = new QDoubleSpinBox(this);
    offset_->setObjectName(QStringLiteral("offsetField"));
    offset_->setDecimals(3);
    offset_->setSingleStep(0.1);
    offset_->setSuffix(tr(" s"));
    offset_->setRange(0, 0);
    offset_->setKeyboardTracking(false);  // one request per typed value, not per digit
    offset_->setToolTip(tr("Where in the file the analysed second begins (file time); the arrow keys step by 0.1 s"));
    offsetLabel->setBuddy(offset_);
    duration_ = new QLabel(this);
    auto* scanButton = new QToolButton(this);
    scanButton->setDefaultAction(scan);
    scanButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    warning_ = new QLabel(this);
    warning_->setObjectName(QStringLiteral("recordingWarning"));
    warning_->setWordWrap(true);
    warning_->setStyleSheet(QStringLiteral("QLabel { color: #b00020; font-weight: bold; }"));
    warning_->hide();
    controls->addWidget(offsetLabel);
    controls->addWidget(offset_);
    controls->addWidget(duration_);
    controls->addSpacing(12);
    controls->addWidget(scanButton);
    controls->addWidget(warning_, 1);
    controls->addStretch();
    layout->addLayout(controls);

    overview_ = new views::OverviewStrip(this);
    overview_->setObjectName(QStringLiteral("overviewStrip"));
    timeline_ = new views::KeywordTimeline(this);
    timeline_->setObjectName(QStringLiteral("keywordTimeline"));
    layout->addWidget(overview_);
    layout->addWidget(timeline_);

    connect(offset_, qOverload<double>(&QDoubleSpinBox::valueChanged), this, &RecordingPanel::offsetRequested);
    connect(overview_, &views::RecordingStrip::offsetRequested, this, &RecordingPanel::offsetRequested);
    connect(timeline_, &views::RecordingStrip::offsetRequested, this, &RecordingPanel::offsetRequested);
}

void RecordingPanel::setRecording(const QString& name, double duration, double windowSeconds, double maximumOffset) {
    window_ = windowSeconds;
    {
        const QSignalBlocker block(offset_);
        offset_->setRange(0, maximumOffset);
    }
    duration_->setText(tr("of %1 (%2 s)").arg(name).arg(duration, 0, 'f', 2));
    for (views::RecordingStrip* strip : {static_cast<views::RecordingStrip*>(overview_), static_cast<views::RecordingStrip*>(timeline_)})
        strip->setDuration(duration);
    timeline_->setDetections({}, false);
}

void RecordingPanel::setWarning(const QString& text) {
    warning_->setText(text.isEmpty() ? QString() : QStringLiteral("⚠ ") + text);
    warning_->setToolTip(text);
    warning_->setVisible(!text.isEmpty());
}

void RecordingPanel::setOffset(double seconds) {
    {
        const QSignalBlocker block(offset_);
        offset_->setValue(seconds);
    }
    overview_->setWindow(seconds, window_);
    timeline_->setWindow(seconds, window_);
}

}  // namespace s4scope::app
