#pragma once
// The subcommands of s4scope-cli. Each registers itself on the CLI11 application and returns
// what runs it after parsing (exit code: 0 all done, 1 failure, 3 some inputs failed).
#include <functional>
#include <vector>

namespace CLI {
class App;
}

namespace s4scope::cli {

struct Command {
    CLI::App* app = nullptr;
    std::function<int()> run;
};

Command addClassifyCommand(CLI::App& app);
Command addExplainCommand(CLI::App& app);
Command addEvaluateCommand(CLI::App& app);
Command addScanCommand(CLI::App& app);
Command addMergeCommand(CLI::App& app);
Command addMethodsCommand(CLI::App& app);
Command addInfoCommand(CLI::App& app);
#ifdef S4SCOPE_CLI_FIGURES
Command addFigureCommand(CLI::App& app);
#endif

// Exit code of a batch in which `failed` of the items failed.
inline int batchExitCode(long failed) { return failed > 0 ? 3 : 0; }

}  // namespace s4scope::cli
