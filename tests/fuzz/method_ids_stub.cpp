// For fuzz_session only: methodInfo() over a fixed list of ids (the real registry lives in the
// libtorch part of the engine, which the session parser does not need).
#include <string>
#include <vector>

#include "s4scope/attribution.h"
#include "s4scope/error.h"

namespace s4scope {

const MethodInfo& methodInfo(const std::string& id) {
    static const std::vector<MethodInfo> known = [] {
        std::vector<MethodInfo> v;
        for (const char* m : {"gradient", "gradient_x_input", "integrated_gradients", "smoothgrad", "lrp_epsilon", "lrp_gamma"}) {
            MethodInfo info;
            info.id = m;
            v.push_back(info);
        }
        return v;
    }();
    for (const MethodInfo& m : known)
        if (m.id == id) return m;
    throw Error("unknown attribution method '" + id + "'");
}

}  // namespace s4scope
