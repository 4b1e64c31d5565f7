// s4scope-cli: the engine for data sets and scripts: classify, explain, scan, figure, merge.
#include <iostream>

#include <CLI/CLI.hpp>

#include "commands.h"
#include "s4scope/runtime.h"

#ifndef S4SCOPE_VERSION
#define S4SCOPE_VERSION "unknown"
#endif

int main(int argc, char** argv) {
    s4scope::preferPassiveOpenMP(argv);
    using namespace s4scope::cli;
    CLI::App app{"s4scope-cli: S4 keyword classification and its attributions for many clips"};
    app.name("s4scope-cli");
    app.set_version_flag("--version", std::string("s4scope-cli ") + S4SCOPE_VERSION);
    app.require_subcommand(1);
    app.footer("Run 's4scope-cli COMMAND --help' for a command's options. Without --model the bundled model is used.");
    std::vector<Command> commands = {addClassifyCommand(app), addExplainCommand(app), addEvaluateCommand(app), addScanCommand(app),
#ifdef S4SCOPE_CLI_FIGURES
                                     addFigureCommand(app),
#endif
                                     addMergeCommand(app), addMethodsCommand(app), addInfoCommand(app)};
    if (argc < 2) {  // no command: the overview, as `help` printed it before
        std::cout << app.help();
        return 0;
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    try {
        for (const auto& c : commands)
            if (c.app->parsed()) return c.run();
    } catch (const std::exception& e) {
        std::cerr << "s4scope-cli: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
