#include "views/colour_maps.h"

#include <initializer_list>

namespace s4scope::views {
namespace {

// Evenly spaced stops, as sampled from the reference maps (ColorBrewer RdBu; matplotlib magma and
// viridis at 11 points); RGB interpolation between them is visually indistinguishable.
QCPColorGradient gradientFromStops(std::initializer_list<const char*> stops) {
    QCPColorGradient g;
    g.clearColorStops();
    g.setColorInterpolation(QCPColorGradient::ciRGB);
    const int n = int(stops.size());
    int i = 0;
    for (const char* hex : stops) g.setColorStopAt(double(i++) / (n - 1), QColor(hex));
    g.setLevelCount(1025);  // odd: the middle level is exactly the centre stop (white for relevance 0)
    return g;
}

}  // namespace

QCPColorGradient relevanceGradient() {
    // Zero maps to pure white so that "no relevance" reads as paper.
    return gradientFromStops({"#053061", "#2166ac", "#4393c3", "#92c5de", "#d1e5f0", "#ffffff", "#fddbc7",
                              "#f4a582", "#d6604d", "#b2182b", "#67001f"});
}

QCPColorGradient relevanceGradient(const QColor& zero) {
    if (zero.lightnessF() >= 0.5) return relevanceGradient();
    QCPColorGradient g = gradientFromStops({"#c6e4ff", "#8cc4f2", "#5a9fd6", "#3576aa", "#1f4b72", "#000000",
                                            "#7a2a1e", "#ad3f2c", "#d9634a", "#f29a7e", "#ffd2c2"});
    g.setColorStopAt(0.5, zero);
    return g;
}

QCPColorGradient spectrogramGradient(SpectrogramMap map) {
    if (map == SpectrogramMap::Viridis)
        return gradientFromStops({"#440154", "#482475", "#414487", "#355f8d", "#2a788e", "#21918c", "#22a884",
                                  "#44bf70", "#7ad151", "#bddf26", "#fde725"});
    return gradientFromStops({"#000004", "#140e36", "#3b0f70", "#641a80", "#8c2981", "#b73779", "#de4968",
                              "#f7705c", "#fe9f6d", "#fecf92", "#fcfdbf"});
}

QString spectrogramMapName(SpectrogramMap map) {
    return map == SpectrogramMap::Viridis ? QStringLiteral("viridis") : QStringLiteral("magma");
}

SpectrogramMap spectrogramMapFromName(const QString& name) {
    return name.compare(QStringLiteral("viridis"), Qt::CaseInsensitive) == 0 ? SpectrogramMap::Viridis
                                                                             : SpectrogramMap::Magma;
}

QColor contrastingText(const QColor& background) {
    const double luminance = 0.2126 * background.redF() + 0.7152 * background.greenF() + 0.0722 * background.blueF();
    return luminance > 0.5 ? QColor(Qt::black) : QColor(Qt::white);
}

}  // namespace s4scope::views
