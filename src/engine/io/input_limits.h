#pragma once
// Bounds every reader applies before it allocates or reads (issue 19). One place for the caps, so
// the readers agree and the documentation (README "Input limits") has one source.
#include <cstdint>
#include <string>

namespace s4scope::detail {

// Model configs and sessions are a few hundred bytes; anything above this is not one.
constexpr uint64_t kMaxConfigBytes = 1u << 20;   // 1 MiB
// JSON nesting deeper than this is refused by a linear pre-scan before nlohmann's recursive parser
// sees the text (a 200 KB header of '[' would otherwise overflow the stack).
constexpr int kMaxJsonDepth = 64;
// The pickle of a state dict holds ~25 objects per tensor; 64 MiB is thousands of times that.
constexpr uint64_t kMaxPickleBytes = 64u << 20;
// Elements a checkpoint may hold in total when no model tells the reader what to expect:
// the configs' parameter limit (ModelConfig::validate).
constexpr int64_t kMaxCheckpointElements = 200'000'000;

// Throws Error("<what> '<path>': <reason>") unless `path` names a regular file (after following
// symlinks): FIFOs (which block a reader forever), character devices such as /dev/zero (which
// never end), sockets and directories are refused before anything opens them.
void requireRegularFile(const std::string& path, const std::string& what);
// The same test: empty if `path` is a regular file, else the reason ("is a named pipe (FIFO) ...").
std::string notRegularFileReason(const std::string& path);

// Reads a whole regular file of at most `maxBytes` (checked before and while reading, so a file
// that grows is refused too). Errors name `what` and the path.
std::string readSmallFile(const std::string& path, const std::string& what, uint64_t maxBytes);

// Refuses JSON nested deeper than `maxDepth` without recursing (strings and escapes are skipped).
// Returns an empty string if the text is acceptable, else the reason.
std::string jsonNestingProblem(const std::string& text, int maxDepth = kMaxJsonDepth);

// A value for an error message, cut to `maxChars` (deep or long values are not echoed whole).
std::string abbreviated(const std::string& text, size_t maxChars = 80);

}  // namespace s4scope::detail
