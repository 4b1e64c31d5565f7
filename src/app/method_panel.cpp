#include "app/method_panel.h"

#include <QTreeWidgetItem>

#include "ui_method_panel.h"

namespace s4scope::app {
namespace {

constexpr int kIdRole = Qt::UserRole;

QString familyTitle(MethodFamily family) {
    switch (family) {
    case MethodFamily::Gradient: return QObject::tr("Gradient");
    case MethodFamily::SmoothGrad: return QObject::tr("SmoothGrad (noise)");
    case MethodFamily::LRP: return QObject::tr("LRP (relevance propagation)");
    case MethodFamily::Other: return QObject::tr("Baselines, CAM, occlusion");
    }
    return QString();
}

}  // namespace

MethodPanel::MethodPanel(QWidget* parent) : QWidget(parent), ui_(std::make_unique<Ui::MethodPanel>()) {
    ui_->setupUi(this);
    for (MethodFamily family : {MethodFamily::Gradient, MethodFamily::SmoothGrad, MethodFamily::LRP, MethodFamily::Other}) {
        auto* group = new QTreeWidgetItem(ui_->methodTree, {familyTitle(family)});
        group->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemIsAutoTristate);
        group->setToolTip(0, tr("Check to compare every method of this family"));
        for (const MethodInfo& m : attributionMethods()) {
            if (m.family != family) continue;
            auto* item = new QTreeWidgetItem(group, {QString::fromStdString(m.displayName)});
            item->setData(0, kIdRole, QString::fromStdString(m.id));
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
            item->setCheckState(0, Qt::Unchecked);
            item->setToolTip(0, QStringLiteral("%1\n(id: %2)").arg(QString::fromStdString(m.summary),
                                                                 QString::fromStdString(m.id)));
        }
        group->setExpanded(true);
    }
    connect(ui_->methodTree, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        if (item && !item->data(0, kIdRole).toString().isEmpty()) showMethod(item->data(0, kIdRole).toString());
    });
    connect(ui_->methodTree, &QTreeWidget::itemDoubleClicked, this, [this](QTreeWidgetItem* item) {
        if (item && !item->data(0, kIdRole).toString().isEmpty()) emit explainRequested();
    });
    connect(ui_->paramForm, &ParamForm::edited, this, [this] { edited_[shown_] = ui_->paramForm->values(); });
    connect(ui_->resetButton, &QPushButton::clicked, this, [this] {
        edited_.erase(shown_);
        showMethod(shown_);
    });
    connect(ui_->explainButton, &QPushButton::clicked, this, &MethodPanel::explainRequested);
    connect(ui_->compareButton, &QPushButton::clicked, this, &MethodPanel::compareRequested);
    setLabels(ModelConfig::defaultLabels());
    setMinimumWidth(250);
    setCurrentMethod(QString::fromStdString(defaultMethod().id));
}

MethodPanel::~MethodPanel() = default;

QTreeWidgetItem* MethodPanel::itemFor(const QString& id) const {
    for (int g = 0; g < ui_->methodTree->topLevelItemCount(); ++g) {
        QTreeWidgetItem* group = ui_->methodTree->topLevelItem(g);
        for (int i = 0; i < group->childCount(); ++i)
            if (group->child(i)->data(0, kIdRole).toString() == id) return group->child(i);
    }
    return nullptr;
}

QString MethodPanel::currentMethod() const { return shown_; }

void MethodPanel::setCurrentMethod(const QString& id) {
    if (QTreeWidgetItem* item = itemFor(id)) ui_->methodTree->setCurrentItem(item);
}

void MethodPanel::showMethod(const QString& id) {
    const MethodInfo& info = methodInfo(id.toStdString());
    shown_ = id;
    ui_->paramForm->setMethod(info, params(id));
    ui_->paramsBox->setTitle(tr("Parameters of %1").arg(QString::fromStdString(info.displayName)));
    ui_->summaryLabel->setText(QString::fromStdString(info.summary));
    emit currentMethodChanged(id);
}

MethodParams MethodPanel::params(const QString& id) const {
    MethodParams values;
    for (const ParamSpec& p : methodInfo(id.toStdString()).params) values[p.name] = p.defaultValue;
    const auto edited = edited_.find(id);
    if (edited != edited_.end())
        for (const auto& [name, value] : edited->second)
            if (values.count(name)) values[name] = value;  // names the method no longer has are dropped
    return values;
}

void MethodPanel::setParams(const QString& id, const MethodParams& values) {
    edited_[id] = values;
    if (id == shown_) showMethod(id);
}

void MethodPanel::setEditedParams(const std::map<QString, MethodParams>& params) {
    edited_.clear();
    for (const auto& [id, values] : params)
        if (itemFor(id)) edited_[id] = values;  // settings or sessions may name methods this build lacks
    if (!shown_.isEmpty()) showMethod(shown_);
}

int MethodPanel::target() const { return ui_->targetCombo->currentData().toInt(); }

void MethodPanel::setTarget(int classIndex) {
    const int index = ui_->targetCombo->findData(classIndex);
    ui_->targetCombo->setCurrentIndex(index >= 0 ? index : 0);
}

void MethodPanel::setLabels(const std::vector<std::string>& labels) {
    const int previous = ui_->targetCombo->count() ? target() : -1;
    labels_ = labels;
    ui_->targetCombo->clear();
    ui_->targetCombo->addItem(tr("predicted class"), -1);
    for (size_t i = 0; i < labels.size(); ++i)
        ui_->targetCombo->addItem(QString::fromStdString(labels[i]), int(i));
    setPredicted(predicted_);
    setTarget(previous < int(labels.size()) ? previous : -1);
}

void MethodPanel::setPredicted(int classIndex) {
    predicted_ = classIndex;
    const bool known = classIndex >= 0 && classIndex < int(labels_.size());
    ui_->targetCombo->setItemText(0, known ? tr("predicted class (%1)").arg(QString::fromStdString(labels_[size_t(classIndex)]))
                                           : tr("predicted class"));
}

QStringList MethodPanel::comparedMethods() const {
    QStringList ids;
    for (const MethodInfo& m : attributionMethods()) {
        const QString id = QString::fromStdString(m.id);
        if (QTreeWidgetItem* item = itemFor(id); item && item->checkState(0) == Qt::Checked) ids << id;
    }
    return ids;
}

void MethodPanel::setComparedMethods(const QStringList& ids) {
    for (const MethodInfo& m : attributionMethods()) {
        const QString id = QString::fromStdString(m.id);
        if (QTreeWidgetItem* item = itemFor(id)) item->setCheckState(0, ids.contains(id) ? Qt::Checked : Qt::Unchecked);
    }
}

ExplainRequest MethodPanel::request(const QString& id) const {
    ExplainRequest r;
    r.method = id.toStdString();
    r.target = target();
    r.params = params(id);
    return r;
}

QString MethodPanel::displayName(const QString& id) const {
    return QString::fromStdString(methodInfo(id.toStdString()).displayName);
}

}  // namespace s4scope::app
