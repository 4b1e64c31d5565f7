#!/usr/bin/env bash
# The second README command: install what is missing, build everything, run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
cd build
ctest --output-on-failure --timeout 1200 "$@"
cd ..
# Issue 19: every reader fuzzed for a bounded time, and the suites that exercise the project's own
# code under ASan+UBSan, each in a build folder of its own. Both fail on any finding.
bash scripts/fuzz.sh
bash scripts/sanitize.sh
