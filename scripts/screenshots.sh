#!/usr/bin/env bash
# Starts the real s4scope under Xvfb on a bundled clip, explains it, compares five methods, and
# saves what the window shows: docs/main.png (explanation view), docs/comparison.png (comparison
# view) and docs/main-dark.png (dark theme). The app grabs its own window (--screenshot), so no X
# screenshot tool is needed. Usage: scripts/screenshots.sh [output folder] [clip]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs}
clip=${2:-resources/clips/yes.wav}
scripts/setup.sh >/dev/null
scripts/build.sh --target s4scope >/dev/null
mkdir -p "$out"

# Fresh settings and data folders: the pictures show the defaults, not this machine's history.
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
run() {
  env XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" XDG_RUNTIME_DIR="$home" \
    xvfb-run -a -s "-screen 0 1600x1000x24" \
    build/src/app/s4scope "$clip" --size 1500x950 --method lrp_epsilon "$@"
}
methods=gradient,integrated_gradients,smoothgrad,lrp_epsilon,lrp_composite
run --compare "$methods" --screenshot "$out/main.png" --screenshot-compare "$out/comparison.png"
rm -rf "${home:?}"/config
run --dark --screenshot "$out/main-dark.png"
