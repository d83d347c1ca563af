#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the Debian 12 packages MedVeil needs to build, test and run. Idempotent: when every
# package is already installed it only checks (well under a second) and changes nothing.
set -euo pipefail

PACKAGES=(
  # build
  g++ cmake ninja-build pkg-config clang-format
  # libraries
  qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-svg-dev
  libopencv-dev libzxing-dev libqrencode-dev libssl-dev libtorch-dev
  nlohmann-json3-dev libzstd-dev zlib1g-dev libdcmtk-dev
  libpng-dev libjpeg62-turbo-dev libtiff-dev
  # tests: headless GUI, an independent QR reader, reference metrics (scikit-image), desktop-file checks
  xvfb xauth zbar-tools python3 python3-numpy python3-skimage python3-imageio
  desktop-file-utils appstream
  # CJK glyphs for the zh_CN user interface; the statistical test suite for the chaotic keystream
  fonts-wqy-microhei dieharder
  # DICOM: dcmdump for header checks, dciodvfy (dicom3tools) to validate every output, a real PACS server
  # (Orthanc) for the archive round trip, curl for its REST API
  dcmtk dicom3tools orthanc curl
  # gdb interrupts a write at a chosen point (privacy_hygiene), strace interrupts or fails chosen system
  # calls (interrupted_outputs); packaging: lintian checks the DEB, help2man writes the man pages; Qt's own strings in zh_CN
  gdb strace lintian help2man qt6-translations-l10n
  # a throw-away single-node Slurm cluster for the job-array test (tests/cluster/slurm_array.sh)
  slurm-wlm munge
  # data sources for tools/extract_corpus.py (real MRI volumes, real DICOM files)
  mricron-data python3-pydicom
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ $status == "install ok installed" ]] || missing+=("$pkg")
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root or install sudo" >&2; exit 1; }
  SUDO=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -q
"${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
