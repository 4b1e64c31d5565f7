#include "app/error_dialog.h"

#include <QMessageBox>

namespace s4scope::app {

QMessageBox* showError(QWidget* parent, const QString& title, const QString& message) {
    qWarning("s4scope: %s: %s", qPrintable(title), qPrintable(message));
    auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, parent);
    box->setObjectName(QStringLiteral("errorDialog"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setTextInteractionFlags(Qt::TextSelectableByMouse);  // paths can be copied
    box->open();
    return box;
}

}  // namespace s4scope::app
