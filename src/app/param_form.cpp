#include "app/param_form.h"

#include <cmath>

#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QSpinBox>

namespace s4scope::app {
namespace {

// Shows 0.01 as "0.01", not "0.010000": parameters span many decades.
class CompactDoubleSpinBox : public QDoubleSpinBox {
public:
    // Numbers read alike everywhere in the app (and in exported figures): C locale, "0.01", not "0,01".
    explicit CompactDoubleSpinBox(QWidget* parent) : QDoubleSpinBox(parent) { setLocale(QLocale::c()); }
    QString textFromValue(double value) const override { return locale().toString(value, 'g', 6); }
};

QString describe(const ParamSpec& p) {
    return QStringLiteral("%1\nrange %2 … %3, default %4%5")
        .arg(QString::fromStdString(p.help))
        .arg(p.min, 0, 'g', 6)
        .arg(p.max, 0, 'g', 6)
        .arg(p.defaultValue, 0, 'g', 6)
        .arg(p.integer ? QStringLiteral(" (integer)") : QString());
}

double stepFor(const ParamSpec& p) {
    if (p.defaultValue > 0) return std::pow(10.0, std::floor(std::log10(p.defaultValue)));
    return (p.max - p.min) / 100.0;
}

}  // namespace

ParamForm::ParamForm(QWidget* parent) : QWidget(parent), layout_(new QFormLayout(this)) {
    layout_->setContentsMargins(0, 0, 0, 0);
}

void ParamForm::setMethod(const MethodInfo& method, const MethodParams& values) {
    while (layout_->rowCount() > 0) layout_->removeRow(0);
    editors_.clear();
    if (method.params.empty()) {
        auto* none = new QLabel(tr("This method has no parameters."), this);
        none->setToolTip(tr("The method is fully defined by the model and the clip"));
        layout_->addRow(none);
        return;
    }
    for (const ParamSpec& p : method.params) {
        const auto found = values.find(p.name);
        const double value = found != values.end() ? found->second : p.defaultValue;
        QAbstractSpinBox* editor = nullptr;
        if (p.integer) {
            auto* box = new QSpinBox(this);
            box->setRange(int(p.min), int(std::min(p.max, 2.0e9)));
            box->setValue(int(std::lround(value)));
            box->setSingleStep(std::max(1, int(stepFor(p))));
            connect(box, qOverload<int>(&QSpinBox::valueChanged), this, &ParamForm::edited);
            editor = box;
        } else {
            auto* box = new CompactDoubleSpinBox(this);
            box->setDecimals(6);
            box->setRange(p.min, p.max);
            box->setSingleStep(stepFor(p));
            box->setValue(value);
            connect(box, qOverload<double>(&QDoubleSpinBox::valueChanged), this, &ParamForm::edited);
            editor = box;
        }
        editor->setObjectName(QString::fromStdString(p.name));
        editor->setToolTip(describe(p));
        editor->setKeyboardTracking(false);  // one edit per finished number, not per keystroke
        auto* label = new QLabel(QString::fromStdString(p.name) + QLatin1Char(':'), this);
        label->setToolTip(editor->toolTip());
        label->setBuddy(editor);
        layout_->addRow(label, editor);
        editors_.emplace_back(p.name, editor);
    }
}

MethodParams ParamForm::values() const {
    MethodParams out;
    for (const auto& [name, editor] : editors_) {
        if (auto* i = qobject_cast<QSpinBox*>(editor)) out[name] = i->value();
        if (auto* d = qobject_cast<QDoubleSpinBox*>(editor)) out[name] = d->value();
    }
    return out;
}

QAbstractSpinBox* ParamForm::editor(const QString& name) const {
    for (const auto& [n, editor] : editors_)
        if (QString::fromStdString(n) == name) return editor;
    return nullptr;
}

}  // namespace s4scope::app
