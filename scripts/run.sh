#!/usr/bin/env bash
# The first README command: install what is missing, build, and run s4scope's main job.
# It classifies and explains a bundled clip with the bundled model (or a freshly initialised one
# when no trained weights are shipped), prints the result, and, when a display is available, opens
# the explorer (s4scope) on the same clip.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh --target s4scope-cli

clip=${1:-resources/clips/yes.wav}
if ls resources/models/*_config.json >/dev/null 2>&1 && ls resources/models/*.{pt,pth,safetensors} >/dev/null 2>&1; then
  model=(--model resources/models)
else
  echo "(no trained weights in resources/models yet: using a freshly initialised model)"
  model=(--random-init 0)
fi
./build/src/cli/s4scope-cli classify "${model[@]}" --input "$clip"
echo
./build/src/cli/s4scope-cli explain "${model[@]}" --input "$clip" --method lrp_epsilon \
  --output build/explanation.json --summary

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  scripts/build.sh --target s4scope
  exec ./build/src/app/s4scope "$clip"
fi
