#!/usr/bin/env bash
# Installs what ftpsim needs (Debian 12, as root) when it is missing, then configures and builds.
#   FTPSIM_BUILD_DIR    build folder (default: build)
#   FTPSIM_CMAKE_ARGS   extra arguments for cmake (e.g. -DFTPSIM_SANITIZE=ON)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake pkg-config clang-format libsimgrid-dev libglib2.0-dev check gnuplot-nox python3 python3-simgrid passwd help2man)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "bootstrap: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

build_dir=${FTPSIM_BUILD_DIR:-build}
# shellcheck disable=SC2086 # FTPSIM_CMAKE_ARGS is a list of arguments
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo ${FTPSIM_CMAKE_ARGS:-} >/dev/null
cmake --build "$build_dir" -j"$(nproc)"
