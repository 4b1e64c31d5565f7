#!/usr/bin/env bash
# ThreadSanitizer over the engine's threaded parts (issue 19): test_threads (several threads
# explaining and classifying on one model while batches are sliced over OpenMP threads), built
# with gcc -fsanitize=thread into build-tsan/. Any report fails (halt_on_error); suppressions only
# for the uninstrumented libgomp, libtorch and OpenBLAS (tests/sanitizers/tsan.supp).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
start=$(date +%s)
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=None -DCMAKE_CXX_FLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=thread" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=thread" -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=thread" \
  -DS4SCOPE_BUILD_GUI=OFF "${launcher[@]}" >/dev/null
cmake --build build-tsan -j"$jobs" --target test_threads
echo "tsan: built in $(( $(date +%s) - start )) s"
export TSAN_OPTIONS="suppressions=$PWD/tests/sanitizers/tsan.supp:halt_on_error=1:second_deadlock_stack=1:history_size=4"
cd build-tsan
ctest --output-on-failure --timeout 2400 -R '^test_threads$'
echo "tsan: stage took $(( $(date +%s) - start )) s"
