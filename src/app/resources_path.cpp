#include "app/resources_path.h"

#include <algorithm>

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include "s4scope/model_config.h"

namespace s4scope::app {

QString resourcesDir() {
    const QString fromEnvironment = qEnvironmentVariable("S4SCOPE_RESOURCES");
    if (!fromEnvironment.isEmpty()) return fromEnvironment;
    const QString installed = QCoreApplication::applicationDirPath() + QStringLiteral("/../share/s4scope/resources");
    if (QFileInfo(installed).isDir()) return QDir::cleanPath(installed);
    return QStringLiteral(S4SCOPE_SOURCE_RESOURCES);
}

QString bundledModelPath() {
    const QString config = resourcesDir() + QStringLiteral("/models/s4_kws_config.json");
    const QDir models(resourcesDir() + QStringLiteral("/models"));
    const bool hasWeights = !models.entryList({QStringLiteral("s4_kws.pt"), QStringLiteral("s4_kws.pth"),
                                               QStringLiteral("s4_kws.safetensors")},
                                              QDir::Files)
                                 .isEmpty();
    return QFileInfo(config).isFile() && hasWeights ? config : QString();
}

QStringList sampleClips() {
    QStringList clips;
    const QDir dir(resourcesDir() + QStringLiteral("/clips"));
    for (const QString& name : dir.entryList({QStringLiteral("*.wav")}, QDir::Files)) clips << dir.filePath(name);
    const auto labels = ModelConfig::defaultLabels();
    auto rank = [&](const QString& path) {
        const auto it = std::find(labels.begin(), labels.end(), QFileInfo(path).completeBaseName().toStdString());
        return int(it - labels.begin());
    };
    std::stable_sort(clips.begin(), clips.end(), [&](const QString& a, const QString& b) { return rank(a) < rank(b); });
    return clips;
}

}  // namespace s4scope::app
