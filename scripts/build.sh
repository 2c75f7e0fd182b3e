#!/usr/bin/env bash
# Configures and builds Trawl into build/ (Release with debug info), or into
# $TRAWL_BUILD_DIR when set (scripts/test.sh: build-asan, build-tsan); only
# the target $TRAWL_BUILD_TARGET when set.
# Extra arguments go to CMake's configure step, e.g. -DTRAWL_SANITIZE=ON.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${TRAWL_BUILD_DIR:-build}
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
if [ ! -f "$dir/CMakeCache.txt" ]; then
  cmake -S . -B "$dir" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
elif [ $# -gt 0 ]; then
  cmake -S . -B "$dir" "$@" >/dev/null
fi
cmake --build "$dir" --parallel "$(nproc)" ${TRAWL_BUILD_TARGET:+--target "$TRAWL_BUILD_TARGET"}
