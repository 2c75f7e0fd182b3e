#!/usr/bin/env bash
# The whole test suite: install dependencies, build, run every test with CTest;
# then the same suite built with ASan + UBSan (build-asan), the indexing
# and query libraries' tests built with TSan (build-tsan), then each libFuzzer
# target for a short fixed time (TRAWL_FUZZ_SECONDS, default 30; longer runs:
# scripts/fuzz.sh). Tests that need ../shared/data skip themselves (with a
# message) when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
# Warnings are errors here (TRAWL_WERROR): CI keeps the code free of them.
scripts/build.sh -DTRAWL_WERROR=ON
(cd build && ctest --output-on-failure --parallel "$(nproc)" --timeout 600)

echo "== ASan + UBSan build (build-asan)"
# -O1 -g1 (line tables only), the usual sanitizer flags: reports keep their
# file:line.
TRAWL_BUILD_DIR=build-asan scripts/build.sh -DTRAWL_SANITIZE=ON -DTRAWL_WERROR=ON \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG"
(cd build-asan && UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  LSAN_OPTIONS=suppressions="$PWD/../scripts/lsan.supp" \
  ctest --output-on-failure --parallel "$(nproc)" --timeout 600)

echo "== TSan build of the indexing and query tests (build-tsan)"
# The indexing library runs threads (the writer queue, the parallel build's
# workers, the first pass's digest workers), and so does a searcher reading
# its in-memory tables beside its searches (query/table_loader.hpp): their
# tests under ThreadSanitizer.
for target in test_index test_query; do
  TRAWL_BUILD_DIR=build-tsan TRAWL_BUILD_TARGET=$target scripts/build.sh -DTRAWL_SANITIZE_THREAD=ON \
    -DTRAWL_WERROR=ON "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG"
  TSAN_OPTIONS=halt_on_error=1 build-tsan/tests/$target
done

echo "== libFuzzer targets (build-fuzz)"
TRAWL_FUZZ_DIR=${TRAWL_FUZZ_DIR:-build-fuzz/ci} scripts/fuzz.sh all "${TRAWL_FUZZ_SECONDS:-30}"
