#!/usr/bin/env bash
# Rebuilds the keyword data set and retrains the bundled model (resources/models/s4_kws.pt and
# s4_kws_config.json) from a clean checkout; the time it took here is in resources/models/README.md.
# Extra arguments go to s4scope-train, e.g. --resume to continue an interrupted run.
#
# To train the same architecture on real speech instead (Google Speech Commands v2, unpacked in
# DIR), run:  build/src/train/s4scope-train --speech-commands DIR --out build/training-sc \
#               --weights build/training-sc/s4_kws_sc.pt --epochs EPOCHS
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh --target s4scope-dataset s4scope-train

data=build/keyword-data
run=build/training
rm -rf "$data"
nice -n 10 build/src/train/s4scope-dataset --out "$data" --seed 1
# One libtorch thread for the model; the trainer augments the next batch on a second thread.
mkdir -p "$run"
nice -n 10 build/src/train/s4scope-train --data "$data" --out "$run" --weights resources/models/s4_kws.pt \
  --epochs 32 --seed 1 --threads 1 "$@" 2>&1 | tee "$run/training.log"
