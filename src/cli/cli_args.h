#pragma once
// Minimal `--name value` / `--flag` parsing for s4scope-cli subcommands.
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace s4scope::cli {

class Args {
public:
    // `repeatable` options may appear several times (e.g. --param); the rest at most once.
    Args(int argc, char** argv, int first, const std::vector<std::string>& flags,
         const std::vector<std::string>& repeatable = {});

    bool has(const std::string& name) const { return values_.count(name) > 0; }
    std::string get(const std::string& name, const std::string& fallback = "") const;
    std::string required(const std::string& name) const;
    std::vector<std::string> all(const std::string& name) const;

private:
    std::multimap<std::string, std::string> values_;
};

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace s4scope::cli
