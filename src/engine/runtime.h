#pragma once
// Process-wide libtorch settings the engine relies on.
#include "s4scope/runtime.h"  // preferPassiveOpenMP

namespace s4scope {

// Sets libtorch's intra-op thread count to the cores available (Debian's libtorch defaults to 1
// here). Idempotent; called whenever a model is created. S4SCOPE_THREADS overrides the count.
void ensureRuntime();


}  // namespace s4scope
