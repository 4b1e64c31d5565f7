#pragma once
// Command-line options of the form `--name value`, `--name=value` and `--flag`, for the two
// training tools. Unknown options are errors that name the option.
#include <algorithm>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "s4scope/error.h"

namespace s4scope::train {

class ArgList {
public:
    // `flags` are the options that take no value.
    ArgList(int argc, char** argv, const std::vector<std::string>& flags) {
        for (int i = 1; i < argc; ++i) {
            std::string a = argv[i];
            if (a.rfind("--", 0) != 0) throw Error("unexpected argument '" + a + "'");
            a = a.substr(2);
            const auto eq = a.find('=');
            if (eq != std::string::npos) {
                values_[a.substr(0, eq)] = a.substr(eq + 1);
            } else if (std::find(flags.begin(), flags.end(), a) != flags.end()) {
                values_[a] = "1";
            } else {
                if (i + 1 >= argc) throw Error("option --" + a + " needs a value");
                values_[a] = argv[++i];
            }
        }
    }

    bool has(const std::string& name) const { return values_.count(name) > 0; }

    std::string text(const std::string& name, const std::string& fallback) {
        used_.push_back(name);
        return has(name) ? values_.at(name) : fallback;
    }
    template <class T>
    T number(const std::string& name, T fallback) {
        used_.push_back(name);
        if (!has(name)) return fallback;
        std::istringstream in(values_.at(name));
        T v;
        if (!(in >> v) || !in.eof()) throw Error("option --" + name + ": '" + values_.at(name) + "' is not a number");
        return v;
    }
    bool flag(const std::string& name) {
        used_.push_back(name);
        return has(name);
    }
    // Comma-separated list.
    std::vector<std::string> list(const std::string& name, const std::vector<std::string>& fallback) {
        used_.push_back(name);
        if (!has(name)) return fallback;
        std::vector<std::string> out;
        std::stringstream ss(values_.at(name));
        for (std::string item; std::getline(ss, item, ',');)
            if (!item.empty()) out.push_back(item);
        return out;
    }
    std::vector<double> numbers(const std::string& name, const std::vector<double>& fallback) {
        used_.push_back(name);
        if (!has(name)) return fallback;
        std::vector<double> out;
        for (const auto& item : list(name, {})) {
            try {
                out.push_back(std::stod(item));
            } catch (const std::logic_error&) {
                throw Error("option --" + name + ": '" + item + "' is not a number");
            }
        }
        return out;
    }

    // Call after reading every option: throws naming any option nobody asked for.
    void rejectUnknown() const {
        for (const auto& [name, value] : values_)
            if (std::find(used_.begin(), used_.end(), name) == used_.end()) throw Error("unknown option --" + name);
    }

private:
    std::map<std::string, std::string> values_;
    std::vector<std::string> used_;
};

}  // namespace s4scope::train
