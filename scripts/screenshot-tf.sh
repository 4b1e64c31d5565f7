#!/usr/bin/env bash
# docs/tf.png and docs/tf-panel.png: the time–frequency tab (R[f,t] over the spectrogram, the
# frequency profile, the listening controls) of the real main window on yes.wav with LRP-ε and the
# top 20 % of coefficients, drawn under Xvfb by the GUI suite test_gui_tf (which checks what it shows).
# usage: scripts/screenshot-tf.sh [BUILD_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
S4SCOPE_TF_SCREENSHOT=$here/docs QT_QPA_PLATFORM=xcb \
  xvfb-run -a -s "-screen 0 1600x1000x24" "$build/tests/test_gui_tf" listeningButtonsPlayTheEnginesSignals screenshotWhenAsked
