#!/usr/bin/env bash
# ThreadSanitizer over the engine's threaded parts (issue 19): test_threads (several threads
# explaining and classifying on one model while batches are sliced over OpenMP threads), built
# with gcc -fsanitize=thread into build-tsan/. Any report fails (halt_on_error); suppressions only
# for the uninstrumented libgomp, libtorch, OpenBLAS and QtCore (tests/sanitizers/tsan.supp), and
# ignore_noninstrumented_modules: those libraries' own accesses are invisible to TSan anyway, and
# the ones it sees through interceptors (memcpy, free) lack the synchronisation that orders them
# (libgomp's futex barriers), so they would be reported as races at random. A canary with a real
# race (tests/sanitizers/tsan_canary.cpp) must be reported under the same options.
# Under TSan the engine is built without function multi-versioning (model/simd.h): the loader runs
# the clones' resolvers before the TSan runtime is up.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
start=$(date +%s)
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=None -DCMAKE_CXX_FLAGS="-O1 -g1 -fno-omit-frame-pointer -fsanitize=thread" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=thread" -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=thread" \
  -DS4SCOPE_BUILD_GUI=OFF "${launcher[@]}" >/dev/null
cmake --build build-tsan -j"$jobs" --target test_threads
echo "tsan: built in $(( $(date +%s) - start )) s"
export TSAN_OPTIONS="suppressions=$PWD/tests/sanitizers/tsan.supp:halt_on_error=1:second_deadlock_stack=1:history_size=7:ignore_noninstrumented_modules=1"
g++ -O1 -g1 -fsanitize=thread -pthread tests/sanitizers/tsan_canary.cpp -o build-tsan/tsan_canary
if build-tsan/tsan_canary > build-tsan/tsan_canary.log 2>&1 || ! grep -q "ThreadSanitizer: data race" build-tsan/tsan_canary.log; then
  echo "tsan: the canary's deliberate race was NOT reported; the stage would miss real ones:"; cat build-tsan/tsan_canary.log
  exit 1
fi
echo "tsan: canary race reported, as it must be"
cd build-tsan
ctest --output-on-failure --timeout 2400 -R '^test_threads$'
echo "tsan: stage took $(( $(date +%s) - start )) s"
