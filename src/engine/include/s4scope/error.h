#pragma once
// Every failure the engine reports to its callers is an s4scope::Error whose message names the
// file (or value) involved and the reason, so the GUI and the CLI can show it as is.
#include <stdexcept>
#include <string>

namespace s4scope {

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace s4scope
