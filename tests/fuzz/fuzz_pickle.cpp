// The pickle interpreter alone: any bytes as data.pkl; every storage record exists and holds the
// bytes the pickle declares (zeros), up to 1 MiB, so tensor geometry, views and conversion run.
#include <cstdint>
#include <memory>
#include <vector>

#include "io/pickle_reader.h"
#include "s4scope/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const std::shared_ptr<std::vector<uint8_t>> zeros = std::make_shared<std::vector<uint8_t>>(1u << 20);
    const s4scope::detail::StorageLoader load = [](const std::string&, uint64_t declared) {
        s4scope::detail::RecordBytes r;
        r.owner = zeros;
        r.data = zeros->data();
        r.size = size_t(std::min<uint64_t>(declared, zeros->size()));
        return r;
    };
    try {
        s4scope::detail::readStateDictPickle(data, size, load, "fuzz.pt");
    } catch (const s4scope::Error&) {
    }
    return 0;  // any other exception escapes: libFuzzer reports it as a crash
}
