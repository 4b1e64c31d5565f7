#include "app/error_dialog.h"

#include <QMessageBox>

namespace s4scope::app {

ErrorText splitErrorMessage(const QString& message) {
    constexpr int kMaxLines = 3, kMaxChars = 300, kSummaryChars = 200;
    const QString trimmed = message.trimmed();
    const QStringList lines = trimmed.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    if (lines.size() <= kMaxLines && trimmed.size() <= kMaxChars) return {trimmed, QString()};
    QString summary = lines.isEmpty() ? trimmed : lines.front().trimmed();
    if (summary.size() > kSummaryChars) summary = summary.left(kSummaryChars - 1).trimmed() + QStringLiteral("…");
    return {summary, trimmed};
}

QMessageBox* showError(QWidget* parent, const QString& title, const QString& message) {
    qWarning("s4scope: %s: %s", qPrintable(title), qPrintable(message));
    // A long message (a library's 40-line report) is a one-line summary with the rest behind
    // "Show Details…", so the dialog stays on the screen and says first what went wrong.
    const ErrorText text = splitErrorMessage(message);
    auto* box = new QMessageBox(QMessageBox::Warning, title, text.summary, QMessageBox::Ok, parent);
    box->setObjectName(QStringLiteral("errorDialog"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setTextInteractionFlags(Qt::TextSelectableByMouse);  // paths can be copied
    if (!text.details.isEmpty()) {
        box->setInformativeText(QObject::tr("The full message is under Show Details."));
        box->setDetailedText(text.details);
    }
    box->open();
    return box;
}

}  // namespace s4scope::app
