#!/usr/bin/env bash
# Synthesises the bundled sample clips resources/clips/WORD.wav: one per keyword, espeak-ng's
# default English voice, 16 kHz mono 16-bit, one second with the word centred; beside each, the
# word's interval WORD.word.json (samples [start, end) of the trimmed word after padding), which
# localisation metrics read (DESIGN.md §10).
# Usage: scripts/make-sample-clips.sh [OUTPUT_DIR]   (default resources/clips)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-resources/clips}
mkdir -p "$out"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for w in yes no up down left right on off stop go; do
  espeak-ng -v en-us -s 140 -w "$tmp/raw.wav" "$w"
  sox "$tmp/raw.wav" -r 16000 -c 1 -b 16 "$tmp/w.wav" silence 1 0.01 0.5% reverse silence 1 0.01 0.5% reverse norm -3
  len=$(soxi -s "$tmp/w.wav")
  pad=$(( (16000 - len) / 2 )); [ $pad -lt 0 ] && pad=0
  sox -V1 "$tmp/w.wav" "$out/$w.wav" pad "${pad}s" 0 trim 0 16000s pad 0 16000s trim 0 16000s
  end=$(( pad + len )); [ $end -gt 16000 ] && end=16000
  printf '{"word": "%s", "start": %d, "end": %d, "sample_rate": 16000, "how": "espeak-ng word trimmed at 0.5%% of full scale, then padded"}\n' \
    "$w" "$pad" "$end" > "$out/$w.word.json"
done
