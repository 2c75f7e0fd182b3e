#!/usr/bin/env bash
# Installs Trawl's build and test dependencies from Debian 12 packages.
# Idempotent: does nothing when everything is already installed. Needs root
# (uses sudo when run as another user).
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config
  libxapian-dev xapian-tools
  libboost-program-options-dev
  libzstd-dev zstd zlib1g-dev
  nlohmann-json3-dev
  libunistring-dev  # Unicode normalisation (NFC) of article and query text: corpus/text/nfc.cpp
  libjemalloc-dev  # trawl-index's and trawl-bench's allocator (CMakeLists.txt, TRAWL_MALLOC)
  libreadline-dev  # line editing and history at the trawl-query prompt
  googletest libgtest-dev libgmock-dev libbenchmark-dev
  libsqlite3-dev liblucene8-java default-jdk-headless  # trawl-bench peer engines
  gnuplot-nox  # trawl-bench --plot draws its SVG/PNG plots with it
  clang libclang-rt-14-dev llvm-14  # libFuzzer targets (tests/fuzz); llvm-symbolizer for their reports
  clang-format-14  # ctest layout.Formatted: the sources are laid out by .clang-format
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
