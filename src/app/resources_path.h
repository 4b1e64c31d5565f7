#pragma once
// Where the bundled model and sample clips are: $S4SCOPE_RESOURCES, then an installed
// share/s4scope/resources beside the executable, then the source tree the app was built from.
#include <QString>
#include <QStringList>

namespace s4scope::app {

QString resourcesDir();
// The bundled model's config file, or empty when none is shipped (yet).
QString bundledModelPath();
// resources/clips/*.wav, sorted by the keyword order of the default labels.
QStringList sampleClips();

}  // namespace s4scope::app
