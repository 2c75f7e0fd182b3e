#!/usr/bin/env bash
# The main job on a fresh machine: install dependencies, build, index the
# sample corpus in corpus/sample, and run a query against it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
rm -rf build/sample.idx
build/indexer/trawl-index --db build/sample.idx corpus/sample
echo
echo '$ trawl-query --db build/sample.idx -n 3 "\"interest rates\" OR storm"'
build/query/trawl-query --db build/sample.idx -n 3 '"interest rates" OR storm'
