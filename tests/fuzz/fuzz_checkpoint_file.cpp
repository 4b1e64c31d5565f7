// A whole checkpoint file (FUZZ_EXTENSION: .pt zip archives or .safetensors) through
// readCheckpoint, as the programs open it: content sniffing, zip directory, CRCs, pickle, header.
#include <cstdint>

#include "fuzz_support.h"
#include "s4scope/checkpoint.h"
#include "s4scope/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string path = fuzz::writeTemp(data, size, FUZZ_EXTENSION);
    try {
        s4scope::readCheckpoint(path);
    } catch (const s4scope::Error&) {
    }
    return 0;
}
