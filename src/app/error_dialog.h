#pragma once
// Errors are dialogs that say what is wrong and leave the app usable. They are window-modal but
// never block (QMessageBox::open, not exec), so the worker's results keep arriving and tests can
// find the box among the top-level widgets.
#include <QString>

class QWidget;
class QMessageBox;

namespace s4scope::app {

// A message as the dialog shows it: short ones whole (details empty); longer ones (more than three
// lines or 300 characters) as their first line, cut at 200 characters, with the whole as details.
struct ErrorText {
    QString summary;
    QString details;
};
ErrorText splitErrorMessage(const QString& message);

QMessageBox* showError(QWidget* parent, const QString& title, const QString& message);

}  // namespace s4scope::app
