#pragma once
// Choosing what to explain: the 22 methods grouped by family (select one to explain, check several
// to compare), the selected method's parameters, and the target class.
#include <map>
#include <memory>

#include <QStringList>
#include <QWidget>

#include "s4scope/attribution.h"

namespace Ui {
class MethodPanel;
}
class QTreeWidgetItem;

namespace s4scope::app {

class MethodPanel : public QWidget {
    Q_OBJECT
public:
    explicit MethodPanel(QWidget* parent = nullptr);
    ~MethodPanel() override;

    QString currentMethod() const;
    void setCurrentMethod(const QString& id);

    // Parameters as edited (defaults for the untouched ones).
    MethodParams params(const QString& id) const;
    void setParams(const QString& id, const MethodParams& values);
    std::map<QString, MethodParams> editedParams() const { return edited_; }
    void setEditedParams(const std::map<QString, MethodParams>& params);

    // -1: the predicted class.
    int target() const;
    void setTarget(int classIndex);
    void setLabels(const std::vector<std::string>& labels);
    void setPredicted(int classIndex);  // shown in the "predicted class" entry

    QStringList comparedMethods() const;
    void setComparedMethods(const QStringList& ids);

    ExplainRequest request(const QString& id) const;
    QString displayName(const QString& id) const;

signals:
    void explainRequested();
    void compareRequested();
    void currentMethodChanged(const QString& id);

private:
    void showMethod(const QString& id);
    QTreeWidgetItem* itemFor(const QString& id) const;

    std::unique_ptr<Ui::MethodPanel> ui_;
    std::map<QString, MethodParams> edited_;
    std::vector<std::string> labels_;
    int predicted_ = -1;
    QString shown_;
};

}  // namespace s4scope::app
