// s4scope-cli methods and info: what the engine offers and what a model is.
#include <iomanip>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "model_choice.h"
#include "s4scope/attribution.h"

namespace s4scope::cli {

Command addMethodsCommand(CLI::App& app) {
    auto json = std::make_shared<bool>(false);
    auto* cmd = app.add_subcommand("methods", "List the attribution methods with their parameters, defaults and ranges");
    cmd->add_flag("--json", *json, "JSON output");
    return {cmd, [json] {
                if (*json) {
                    nlohmann::json j = nlohmann::json::array();
                    for (const auto& m : attributionMethods()) {
                        nlohmann::json params = nlohmann::json::array();
                        for (const auto& p : m.params)
                            params.push_back({{"name", p.name}, {"default", p.defaultValue}, {"min", p.min}, {"max", p.max},
                                              {"integer", p.integer}, {"help", p.help}});
                        j.push_back({{"id", m.id}, {"name", m.displayName}, {"family", familyName(m.family)},
                                     {"summary", m.summary}, {"params", params}});
                    }
                    std::cout << j.dump(2) << "\n";
                    return 0;
                }
                for (const auto& m : attributionMethods()) {
                    std::cout << std::left << std::setw(22) << m.id << std::setw(12) << familyName(m.family) << m.summary << "\n";
                    for (const auto& p : m.params)
                        std::cout << "    " << std::setw(10) << p.name << "default " << p.defaultValue << ", range " << p.min
                                  << " .. " << p.max << (p.integer ? " (integer)" : "") << ": " << p.help << "\n";
                }
                return 0;
            }};
}

Command addInfoCommand(CLI::App& app) {
    auto choice = std::make_shared<ModelChoice>();
    auto* cmd = app.add_subcommand("info", "Print a model's configuration and parameter count");
    choice->addOptions(*cmd);
    return {cmd, [choice] {
                const Model model = choice->open(true);
                std::cout << "model: " << choice->describe(model) << "\nparameters: " << model.config().parameterCount()
                          << "\n" << model.config().toJson();
                return 0;
            }};
}

}  // namespace s4scope::cli
