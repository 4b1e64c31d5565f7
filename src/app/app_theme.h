#pragma once
// The application palette: the system's, or a dark Fusion palette on request (View > Dark theme).
namespace s4scope::app {

void applyAppTheme(bool dark);

}  // namespace s4scope::app
