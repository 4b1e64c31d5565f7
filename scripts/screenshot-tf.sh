#!/usr/bin/env bash
# docs/tf.png, docs/tf-panel.png and docs/comparison-tf.png: the time–frequency tab (R[f,t] over the
# spectrogram, the frequency profile, the listening controls) of the real main window on yes.wav with
# LRP-ε and the top 20 % of coefficients, and the comparison grid with its TF rows (LRP-ε,
# gradient × input, gradient), drawn under Xvfb by the GUI suite test_gui_tf (which checks them).
# usage: scripts/screenshot-tf.sh [BUILD_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
S4SCOPE_TF_SCREENSHOT=$here/docs QT_QPA_PLATFORM=xcb \
  xvfb-run -a -s "-screen 0 1600x1000x24" "$build/tests/test_gui_tf" \
  listeningButtonsPlayTheEnginesSignals screenshotWhenAsked comparisonGridHasTimeFrequencyRows
