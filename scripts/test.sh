#!/usr/bin/env bash
# The whole test suite: install dependencies, build, run every test with CTest.
# Tests that need ../shared/data skip themselves (with a message) when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
cd build
ctest --output-on-failure --parallel "$(nproc)" --timeout 600
