#!/usr/bin/env bash
# The first README command: install what is missing, build, and run s4scope's main job.
# It classifies and explains a bundled clip with the bundled model (or a freshly initialised one
# when no trained weights are shipped), prints the result, and, when a display is available, opens
# the explorer (s4scope) on the same clip.
# For tests: S4SCOPE_CLI=PATH runs that s4scope-cli and skips setup and build; S4SCOPE_RUN_NO_GUI=1
# skips the explorer.
set -euo pipefail
cd "$(dirname "$0")/.."
cli=${S4SCOPE_CLI:-}
if [ -z "$cli" ]; then
  scripts/setup.sh
  scripts/build.sh --target s4scope-cli
  cli=./build/src/cli/s4scope-cli
fi

clip=${1:-resources/clips/yes.wav}
# Weights may come in any of the checkpoint formats. compgen -G tests a pattern without failing
# the script (set -e) for the formats that are absent, as `ls a.pt b.pth` did.
has_weights=false
for ext in pt pth safetensors; do
  if compgen -G "resources/models/*.$ext" >/dev/null; then has_weights=true; fi
done
if compgen -G "resources/models/*_config.json" >/dev/null && $has_weights; then
  model=()  # s4scope-cli takes the bundled model when --model is not given, and says so
else
  echo "(no trained weights in resources/models yet: using a freshly initialised model)"
  model=(--random-init 0)
fi
mkdir -p build
"$cli" classify "${model[@]}" "$clip"
echo
"$cli" explain "${model[@]}" "$clip" --method lrp_epsilon --output build/explanation.json --summary

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${S4SCOPE_RUN_NO_GUI:-}" ]; then
  scripts/build.sh --target s4scope
  exec ./build/src/app/s4scope "$clip"
fi
