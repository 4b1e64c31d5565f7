// Session JSON (.s4session) through Session::load, as the GUI opens it.
#include <QString>

#include <cstdint>

#include "app/session.h"
#include "fuzz_support.h"
#include "s4scope/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string path = fuzz::writeTemp(data, size, ".s4session");
    try {
        const s4scope::app::Session s = s4scope::app::Session::load(QString::fromStdString(path));
        (void)s.toJson(QString::fromStdString(path));
    } catch (const s4scope::Error&) {
    }
    return 0;
}
