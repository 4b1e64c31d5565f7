#!/usr/bin/env bash
# Installs, with apt-get, every Debian 12 package s4scope needs to build, run and test.
# Idempotent: asks apt only for what is missing. Run as root or with sudo available.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  libtorch-dev libopenblas0-openmp          # libtorch; an optimised BLAS (Debian's default is the reference one)
  libsndfile1-dev libsoxr-dev nlohmann-json3-dev
  libfftw3-dev                              # FFTs of the signal library (STFT, spectrogram)
  qt6-base-dev qt6-multimedia-dev qt6-svg-dev libqcustomplot-dev libgl-dev
  python3-torch python3-numpy               # PyTorch parity fixtures in the tests
  espeak-ng flite sox                       # synthesised keyword speech (sample clips)
  libespeak-ng-dev flite1-dev               # the dataset builder synthesises through their C libraries
  espeak festival festival-hi festival-mr festival-te festvox-ca-ona-hts festvox-czech-dita festvox-czech-krb festvox-czech-machac festvox-czech-ph festvox-italp16k festvox-itapc16k festvox-suopuhe-lj festvox-suopuhe-mv festvox-ru festvox-hi-nsk festvox-mr-nsk festvox-te-nsk  # more training speakers (classic espeak, Festival's non-English voices; never its English ones)
  xvfb xauth pulseaudio pulseaudio-utils    # GUI screenshots, a real audio server for live-mode tests
  clang libclang-rt-14-dev                  # libFuzzer harnesses (scripts/fuzz.sh); gcc's ASan/UBSan/TSan come with build-essential
  desktop-file-utils appstream librsvg2-bin shared-mime-info man-db   # the .deb: validators, icon PNGs, MIME, man
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
