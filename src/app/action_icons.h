#pragma once
// Toolbar icons drawn in the palette's text colour, so they stay visible in light and dark themes
// (the style's media icons are black glyphs) and sharp at any device pixel ratio.
#include <QColor>
#include <QIcon>

namespace s4scope::app {

enum class ActionGlyph { Play, Explain, Record, Compare, Cancel };

QIcon actionIcon(ActionGlyph glyph, const QColor& colour);

}  // namespace s4scope::app
