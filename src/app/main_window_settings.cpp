// MainWindow: what is remembered between runs (QSettings): window layout, methods and their
// parameters, comparison options, view options.
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>

#include "app/main_window.h"
#include "app/method_panel.h"
#include "ui_main_window.h"
#include "views/comparison_plot.h"

namespace s4scope::app {

void MainWindow::restoreSettings() {
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    ui_->mainSplitter->restoreState(settings.value(QStringLiteral("window/mainSplitter")).toByteArray());
    ui_->explanationSplitter->restoreState(settings.value(QStringLiteral("window/explanationSplitter")).toByteArray());
    ui_->comparisonSplitter->restoreState(settings.value(QStringLiteral("window/comparisonSplitter")).toByteArray());
    const QJsonObject params = QJsonDocument::fromJson(settings.value(QStringLiteral("methods/params")).toByteArray()).object();
    std::map<QString, MethodParams> edited;
    for (auto it = params.begin(); it != params.end(); ++it) {
        const QJsonObject values = it.value().toObject();
        for (auto v = values.begin(); v != values.end(); ++v) edited[it.key()][v.key().toStdString()] = v.value().toDouble();
    }
    MethodPanel* panel = ui_->methodPanel;
    panel->setEditedParams(edited);
    panel->setCurrentMethod(settings.value(QStringLiteral("methods/current"), QString::fromStdString(defaultMethod().id)).toString());
    QStringList compared;
    for (const std::string& id : defaultComparison()) compared << QString::fromStdString(id);
    panel->setComparedMethods(settings.value(QStringLiteral("methods/compared"), compared).toStringList());
    ui_->sharedScaleCheck->setChecked(settings.value(QStringLiteral("compare/sharedScale"), false).toBool());
    comparisonPlot()->setSharedScale(ui_->sharedScaleCheck->isChecked());
    ui_->correlationCombo->setCurrentIndex(settings.value(QStringLiteral("compare/correlation"), 0).toInt());
    ui_->agreementScaleCombo->setCurrentIndex(settings.value(QStringLiteral("compare/agreementScale"), 2).toInt());
    ui_->clusterOrderCheck->setChecked(settings.value(QStringLiteral("compare/clustered"), false).toBool());
    ui_->actionAutoExplain->setChecked(settings.value(QStringLiteral("methods/explainOnLoad"), true).toBool());
    const QString map = settings.value(QStringLiteral("view/spectrogramMap"), QStringLiteral("magma")).toString();
    (map == QLatin1String("viridis") ? ui_->actionViridis : ui_->actionMagma)->setChecked(true);
    setSpectrogramMap(map);
    ui_->actionDarkTheme->setChecked(settings.value(QStringLiteral("view/dark"), false).toBool());
}

void MainWindow::saveSettings() const {
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/mainSplitter"), ui_->mainSplitter->saveState());
    settings.setValue(QStringLiteral("window/explanationSplitter"), ui_->explanationSplitter->saveState());
    settings.setValue(QStringLiteral("window/comparisonSplitter"), ui_->comparisonSplitter->saveState());
    QJsonObject params;
    for (const auto& [id, values] : ui_->methodPanel->editedParams()) {
        QJsonObject v;
        for (const auto& [name, value] : values) v.insert(QString::fromStdString(name), value);
        params.insert(id, v);
    }
    settings.setValue(QStringLiteral("methods/params"), QJsonDocument(params).toJson(QJsonDocument::Compact));
    settings.setValue(QStringLiteral("methods/current"), ui_->methodPanel->currentMethod());
    settings.setValue(QStringLiteral("methods/compared"), ui_->methodPanel->comparedMethods());
    settings.setValue(QStringLiteral("methods/explainOnLoad"), ui_->actionAutoExplain->isChecked());
    settings.setValue(QStringLiteral("compare/sharedScale"), ui_->sharedScaleCheck->isChecked());
    settings.setValue(QStringLiteral("compare/correlation"), ui_->correlationCombo->currentIndex());
    settings.setValue(QStringLiteral("compare/agreementScale"), ui_->agreementScaleCombo->currentIndex());
    settings.setValue(QStringLiteral("compare/clustered"), ui_->clusterOrderCheck->isChecked());
    settings.setValue(QStringLiteral("view/spectrogramMap"),
                      ui_->actionViridis->isChecked() ? QStringLiteral("viridis") : QStringLiteral("magma"));
    settings.setValue(QStringLiteral("view/dark"), ui_->actionDarkTheme->isChecked());
}

}  // namespace s4scope::app
