// The methods a batch command runs, from --method and --param (shared by explain and evaluate).
#include "method_requests.h"

#include <sstream>
#include <stdexcept>

#include "s4scope/error.h"

namespace s4scope::cli {

std::vector<ExplainRequest> methodRequests(const std::vector<std::string>& methods, const std::vector<std::string>& params,
                                           int64_t target, uint64_t seed) {
    std::vector<ExplainRequest> requests;
    std::vector<std::string> ids;
    for (const auto& m : methods) {
        std::stringstream list(m);
        std::string id;
        while (std::getline(list, id, ','))
            if (!id.empty()) ids.push_back(id);
    }
    if (ids.empty()) throw Error("give at least one --method (s4scope-cli methods lists them)");
    for (const auto& id : ids) {
        methodInfo(id);  // an unknown id fails before anything loads
        ExplainRequest r;
        r.method = id;
        r.target = target;
        r.seed = seed;
        requests.push_back(r);
    }
    for (const auto& p : params) {
        const auto eq = p.find('=');
        if (eq == std::string::npos) throw Error("--param takes NAME=VALUE, got '" + p + "'");
        const std::string name = p.substr(0, eq);
        double value = 0;
        try {
            size_t used = 0;
            value = std::stod(p.substr(eq + 1), &used);
            if (used != p.size() - eq - 1) throw std::invalid_argument("");
        } catch (const std::exception&) {
            throw Error("--param " + name + " must be a number, got '" + p.substr(eq + 1) + "'");
        }
        bool used = false;
        for (auto& r : requests)
            for (const auto& spec : methodInfo(r.method).params)
                if (spec.name == name) {
                    r.params[name] = value;
                    used = true;
                }
        if (!used) throw Error("--param " + name + ": none of the chosen methods has this parameter");
    }
    return requests;
}

}  // namespace s4scope::cli
