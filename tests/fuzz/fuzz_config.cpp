// Model config JSON, through the file reader (size cap, nesting pre-scan, keys, validation).
#include <cstdint>

#include "fuzz_support.h"
#include "s4scope/error.h"
#include "s4scope/model_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string path = fuzz::writeTemp(data, size, "_config.json");
    try {
        const s4scope::ModelConfig c = s4scope::ModelConfig::fromFile(path);
        // What a loaded config is used for first: its size, and writing it back.
        (void)c.parameterCount();
        (void)s4scope::ModelConfig::fromJson(c.toJson(), "round trip");
    } catch (const s4scope::Error&) {
    }
    return 0;
}
