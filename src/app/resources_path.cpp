#include "app/resources_path.h"

#include <algorithm>

#include <QDir>
#include <QFileInfo>

#include "s4scope/resources.h"
#include "s4scope/model_config.h"

namespace s4scope::app {

QString resourcesDir() { return QString::fromStdString(s4scope::resourcesDir()); }

QString bundledModelPath() { return QString::fromStdString(s4scope::bundledModelPath()); }

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
