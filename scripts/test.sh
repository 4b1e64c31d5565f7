#!/usr/bin/env bash
# The second README command: install what is missing, build everything, run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
cd build
ctest --output-on-failure --timeout 1200 "$@"
cd ..
# Issue 19: every reader fuzzed for a bounded time in a build folder of its own; fails on any finding.
bash scripts/fuzz.sh
# The engine's suites (and the CLI they drive) under ASan + UBSan in a build folder of its own;
# any report fails. (scripts/tsan.sh is not here: its build of test_threads dies inside libtsan
# before main() on this Debian 12 toolchain, with or without ASLR; see the README.)
bash scripts/sanitize.sh
