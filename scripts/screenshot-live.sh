#!/usr/bin/env bash
# Makes docs/live.png: starts a private PulseAudio server (null sink s4test, source s4mic remapped
# from its monitor), plays bundled keyword clips with silences between them into the sink, and runs
# the real s4scope under Xvfb in live mode listening to s4mic; the app grabs its own live window
# once its history strip is full and it has shown four keywords (--screenshot-live). Usage: scripts/screenshot-live.sh [png]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/live.png}
[ -x build/src/app/s4scope ] || { echo "build s4scope first" >&2; exit 1; }

tmp=$(mktemp -d)
pulse_pid=""
player_pid=""
cleanup() {
  [ -n "$player_pid" ] && kill "$player_pid" 2>/dev/null || true
  [ -n "$pulse_pid" ] && kill "$pulse_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
cat > "$tmp/s4test.pa" <<PA
load-module module-native-protocol-unix socket=$tmp/native auth-anonymous=1
load-module module-null-sink sink_name=s4test rate=48000
load-module module-remap-source master=s4test.monitor source_name=s4mic
set-default-sink s4test
set-default-source s4mic
PA
export XDG_RUNTIME_DIR="$tmp" PULSE_RUNTIME_PATH="$tmp" PULSE_STATE_PATH="$tmp" PULSE_SERVER="unix:$tmp/native" PULSE_COOKIE="$tmp/cookie"
HOME="$tmp" pulseaudio --daemonize=yes --system=false --disallow-exit --exit-idle-time=-1 -n --disable-shm=yes \
  --use-pid-file=yes -F "$tmp/s4test.pa" --log-target=file:"$tmp/pulse.log"
for _ in $(seq 50); do [ -S "$tmp/native" ] && [ -f "$tmp/pid" ] && break; sleep 0.1; done
pulse_pid=$(cat "$tmp/pid")

# Keywords, 1.2 s of silence after each, over and over until the app has its picture.
sox -n -r 16000 -c 1 -b 16 "$tmp/gap.wav" trim 0 1.2
sox $(for w in left off stop yes down; do echo resources/clips/$w.wav "$tmp/gap.wav"; done) "$tmp/words.wav"
( while true; do paplay --device=s4test "$tmp/words.wav"; done ) &
player_pid=$!

mkdir -p "$(dirname "$out")"
env XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" \
  xvfb-run -a -s "-screen 0 1600x1000x24" \
  build/src/app/s4scope --live --screenshot-live "$out"
