#pragma once
// The colour maps of DESIGN.md §4: relevance is diverging blue-white-red, symmetric about zero;
// the spectrogram uses a perceptually uniform map (magma or viridis).
#include <QColor>
#include <QString>
#include <qcustomplot.h>

namespace s4scope::views {

enum class SpectrogramMap { Magma, Viridis };

QCPColorGradient relevanceGradient();  // blue (-1) .. white (0) .. red (+1)
// The same map for a background of colour `zero`: white gives the map above; a dark one (the dark
// theme on screen) a map that runs from light blue through `zero` to light red, so that no
// relevance reads as the panel and strong relevance stands out from it.
QCPColorGradient relevanceGradient(const QColor& zero);
QCPColorGradient spectrogramGradient(SpectrogramMap map);
QString spectrogramMapName(SpectrogramMap map);                 // "magma", "viridis"
SpectrogramMap spectrogramMapFromName(const QString& name);      // unknown names give magma
// A text colour that stays legible on `background` (black on light, white on dark).
QColor contrastingText(const QColor& background);

}  // namespace s4scope::views
