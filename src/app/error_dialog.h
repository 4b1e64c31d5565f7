#pragma once
// Errors are dialogs that say what is wrong and leave the app usable. They are window-modal but
// never block (QMessageBox::open, not exec), so the worker's results keep arriving and tests can
// find the box among the top-level widgets.
#include <QString>

class QWidget;
class QMessageBox;

namespace s4scope::app {

QMessageBox* showError(QWidget* parent, const QString& title, const QString& message);

}  // namespace s4scope::app
