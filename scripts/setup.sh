#!/usr/bin/env bash
# Installs, with apt-get, every Debian 12 package s4scope needs to build, run and test.
# Idempotent: asks apt only for what is missing. Run as root or with sudo available.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  libtorch-dev libopenblas0-openmp          # libtorch; an optimised BLAS (Debian's default is the reference one)
  libsndfile1-dev libsoxr-dev nlohmann-json3-dev
  qt6-base-dev qt6-multimedia-dev qt6-svg-dev libqcustomplot-dev libgl-dev
  python3-torch python3-numpy               # PyTorch parity fixtures in the tests
  espeak-ng flite sox                       # synthesised keyword speech (sample clips)
  libespeak-ng-dev flite1-dev               # the dataset builder synthesises through their C libraries
  xvfb xauth pulseaudio pulseaudio-utils    # GUI screenshots, a real audio server for live-mode tests
  libcli11-dev slurm-wlm munge              # s4scope-cli's argument parser; a local SLURM for the job-array test
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# libtorch runs on whichever libblas.so.3 is selected: make it OpenBLAS.
blas=/usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3
if [ -e "$blas" ] && command -v update-alternatives >/dev/null; then
  current=$(readlink -f /etc/alternatives/libblas.so.3-x86_64-linux-gnu 2>/dev/null || true)
  if [ "$current" != "$blas" ]; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO update-alternatives --set libblas.so.3-x86_64-linux-gnu "$blas" || true
  fi
fi
echo "setup: all packages present"
