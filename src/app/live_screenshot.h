#pragma once
// For scripts and the README (--live --screenshot-live): saves the live window as PNG once it has
// shown four keywords and is showing one confidently now, then quits the app.
#include <QString>

namespace s4scope::app {

class LiveWindow;

void saveLiveScreenshot(LiveWindow* live, const QString& path, int timeoutMs = 60000);

}  // namespace s4scope::app
