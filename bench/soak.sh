#!/usr/bin/env bash
# The long soak (issue 19): test_soak with live mode running for 10 minutes (SOAK_SECONDS, default
# 600) against a private PulseAudio null sink playing keywords in a loop, then 10,000 explanations
# (SOAK_EXPLANATIONS) in the same process. It prints the RSS trace, the update rate per 10 s, the
# dropped windows and the GUI thread's longest stall, and fails on RSS growth > 5 %, a GUI-thread
# stall > 100 ms of CPU or a dropped-window runaway. CI runs the same test for 60 s.
# Usage: bench/soak.sh [build folder, default build]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
cmake --build "$build" --target test_soak -j"$(nproc 2>/dev/null || echo 2)" >/dev/null
export S4SCOPE_SOAK_SECONDS=${SOAK_SECONDS:-600}
export S4SCOPE_SOAK_EXPLANATIONS=${SOAK_EXPLANATIONS:-10000}
export QT_QPA_PLATFORM=offscreen OMP_WAIT_POLICY=PASSIVE
# Qt Test's watchdog ends any test function after 300 s by default: give the long soak its
# duration plus room for the explanations, in milliseconds.
export QTEST_FUNCTION_TIMEOUT=$(( (S4SCOPE_SOAK_SECONDS + 900) * 1000 ))
exec nice -n 10 "$build/tests/test_soak" -maxwarnings 0
