#!/usr/bin/env bash
# Rebuilds the keyword data set and retrains the bundled model (resources/models/s4_kws.pt and
# s4_kws_config.json) from a clean checkout: about 31 minutes on a 2-core machine shared with
# other work (see resources/models/README.md). Extra arguments go to s4scope-train, e.g. --resume
# to continue an interrupted run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh --target s4scope-dataset s4scope-train

data=build/keyword-data
run=build/training
rm -rf "$data"
build/src/train/s4scope-dataset --out "$data" --seed 1
# One libtorch thread: on a shared 2-core machine two threads spin against each other and are
# slower, not faster.
mkdir -p "$run"
build/src/train/s4scope-train --data "$data" --out "$run" --weights resources/models/s4_kws.pt \
  --epochs 12 --seed 1 --threads 1 "$@" 2>&1 | tee "$run/training.log"
