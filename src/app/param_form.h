#pragma once
// Editors for one method's parameters: a spin box per parameter with the registry's range,
// default and help text (as tooltip), integers as integer boxes.
#include <vector>

#include <QWidget>

#include "s4scope/attribution.h"

class QFormLayout;
class QAbstractSpinBox;

namespace s4scope::app {

class ParamForm : public QWidget {
    Q_OBJECT
public:
    explicit ParamForm(QWidget* parent = nullptr);

    void setMethod(const MethodInfo& method, const MethodParams& values);
    MethodParams values() const;
    // The editor of one parameter (nullptr if the method has no such parameter), for tests.
    QAbstractSpinBox* editor(const QString& name) const;

signals:
    void edited();

private:
    QFormLayout* layout_;
    std::vector<std::pair<std::string, QAbstractSpinBox*>> editors_;
};

}  // namespace s4scope::app
