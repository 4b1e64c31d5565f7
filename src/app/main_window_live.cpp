// MainWindow: live microphone mode (a window of its own) and taking a frozen second into the explorer.
#include "app/live_window.h"
#include "app/main_window.h"

namespace s4scope::app {

void MainWindow::showLive() {
    if (!live_) {
        live_ = new LiveWindow(explorer_->model(), this);
        connect(live_, &LiveWindow::frozen, this, [this](const std::vector<float>& samples, int rate) {
            openSamples(samples, rate, QStringLiteral("live"));
            raise();
            activateWindow();
        });
    }
    live_->show();
    live_->raise();
    live_->activateWindow();
    if (!live_->isRecording()) live_->startRecording();
}

void MainWindow::updateLiveModel() {
    if (live_) live_->setModel(explorer_->model());
}

}  // namespace s4scope::app
