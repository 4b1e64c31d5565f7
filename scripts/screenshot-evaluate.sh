#!/usr/bin/env bash
# docs/evaluate.png: the Evaluate tab of the real main window on yes.wav (five methods, the word's
# interval from yes.word.json), drawn under Xvfb by the GUI suite test_gui_evaluate.
# usage: scripts/screenshot-evaluate.sh [BUILD_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
S4SCOPE_EVALUATE_SCREENSHOT=$here/docs QT_QPA_PLATFORM=xcb \
  xvfb-run -a -s "-screen 0 1600x1000x24" "$build/tests/test_gui_evaluate" screenshotWhenAsked
