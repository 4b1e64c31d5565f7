#include "cli_args.h"

#include <algorithm>

namespace s4scope::cli {

Args::Args(int argc, char** argv, int first, const std::vector<std::string>& flags,
           const std::vector<std::string>& repeatable) {
    for (int i = first; i < argc; ++i) {
        std::string a = argv[i];
        if (a.rfind("--", 0) != 0) throw UsageError("unexpected argument '" + a + "'");
        a = a.substr(2);
        std::string value;
        if (const auto eq = a.find('='); eq != std::string::npos) {
            value = a.substr(eq + 1);
            a = a.substr(0, eq);
        } else if (std::find(flags.begin(), flags.end(), a) == flags.end()) {
            if (i + 1 >= argc) throw UsageError("--" + a + " needs a value");
            value = argv[++i];
        }
        if (has(a) && std::find(repeatable.begin(), repeatable.end(), a) == repeatable.end())
            throw UsageError("--" + a + " given twice");
        values_.emplace(a, value);
    }
}

std::string Args::get(const std::string& name, const std::string& fallback) const {
    auto it = values_.find(name);
    return it == values_.end() ? fallback : it->second;
}

std::string Args::required(const std::string& name) const {
    if (!has(name)) throw UsageError("--" + name + " is required");
    return get(name);
}

std::vector<std::string> Args::all(const std::string& name) const {
    std::vector<std::string> out;
    auto range = values_.equal_range(name);
    for (auto it = range.first; it != range.second; ++it) out.push_back(it->second);
    return out;
}

}  // namespace s4scope::cli
