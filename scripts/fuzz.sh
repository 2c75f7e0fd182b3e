#!/usr/bin/env bash
# Runs the libFuzzer targets in tests/fuzz: scripts/fuzz.sh TARGET|all [SECONDS]
# (default 60 s each; "all" runs two at a time, or TRAWL_FUZZ_JOBS). Builds
# build-fuzz with clang first when needed. The growing corpus, logs and crash
# files live outside the repository in TRAWL_FUZZ_DIR (default
# ${TMPDIR:-/tmp}/trawl-fuzz); the committed seeds in tests/fuzz/corpus/ are
# read, never written. Exits non-zero when a fuzzer crashes, naming the files.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

if [ $# -lt 1 ] || [ $# -gt 2 ] || [[ "$1" == -* ]]; then
  echo "usage: scripts/fuzz.sh TARGET|all [SECONDS]   (targets: fuzz_* in tests/fuzz)" >&2
  exit 2
fi
target=$1
seconds=${2:-60}
work=${TRAWL_FUZZ_DIR:-${TMPDIR:-/tmp}/trawl-fuzz}
jobs=${TRAWL_FUZZ_JOBS:-2}

# Build (configure once; ccache when it is installed).
if [ ! -f build-fuzz/CMakeCache.txt ]; then
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  generator=()
  command -v ninja >/dev/null && generator=(-G Ninja)
  cmake -S . -B build-fuzz "${generator[@]}" "${launcher[@]}" -DCMAKE_CXX_COMPILER=clang++ \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTRAWL_FUZZ=ON -DTRAWL_BUILD_TESTS=OFF >/dev/null
fi
build_log=$(mktemp)
if ! cmake --build build-fuzz --target trawl_fuzzers --parallel "$(nproc)" >"$build_log" 2>&1; then
  echo "fuzz.sh: building the fuzzers failed; the build's last lines:" >&2
  tail -n 40 "$build_log" >&2
  rm -f "$build_log"
  exit 1
fi
rm -f "$build_log"

bin=build-fuzz/tests/fuzz
# Leaks inside Xapian itself are not ours to fix (tests/fuzz/lsan.supp).
export LSAN_OPTIONS="suppressions=$root/tests/fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
mapfile -t all < <(find "$bin" -maxdepth 1 -type f -name 'fuzz_*' -perm -u+x -printf '%f\n' | sort)
if [ "$target" = all ]; then
  targets=("${all[@]}")
else
  [ -x "$bin/$target" ] || { echo "fuzz.sh: no fuzzer '$target' (have: ${all[*]})" >&2; exit 2; }
  targets=("$target")
fi

# One run: corpus/<t> grows, seeds are read too; crashes go to crashes/<t>/.
run_one() {
  local t=$1
  mkdir -p "$work/corpus/$t" "$work/crashes/$t" "$work/logs"
  local seeds=()
  [ -d "$root/tests/fuzz/corpus/$t" ] && seeds=("$root/tests/fuzz/corpus/$t")
  local rc=0
  "$root/$bin/$t" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=30 -print_final_stats=1 \
    -artifact_prefix="$work/crashes/$t/" "$work/corpus/$t" "${seeds[@]}" >"$work/logs/$t.log" 2>&1 || rc=$?
  local execs units bytes
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/logs/$t.log" | tail -1)
  units=$(find "$work/corpus/$t" -type f | wc -l)
  bytes=$(du -sb "$work/corpus/$t" | cut -f1)
  if [ "$rc" -eq 0 ]; then
    printf '%-18s %5ss  %10s execs  corpus %5s files %8s bytes  ok\n' "$t" "$seconds" "${execs:-?}" "$units" "$bytes"
  else
    printf '%-18s CRASH (exit %s), see %s\n' "$t" "$rc" "$work/logs/$t.log"
    grep -E '^(==[0-9]+==ERROR|SUMMARY|.*invariant failed|artifact_prefix|Test unit written)' "$work/logs/$t.log" | sed 's/^/    /' || true
  fi
  return "$rc"
}

echo "fuzz.sh: ${targets[*]}, ${seconds}s each, $jobs at a time; corpus/logs/crashes in $work"
failed=0
running=0
for t in "${targets[@]}"; do
  if [ "$running" -ge "$jobs" ]; then
    wait -n || failed=1
    running=$((running - 1))
  fi
  run_one "$t" &
  running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
  wait -n || failed=1
  running=$((running - 1))
done
if [ "$failed" -ne 0 ]; then
  echo "fuzz.sh: crash files:" >&2
  find "$work/crashes" -type f | sed 's/^/  /' >&2
  exit 1
fi
