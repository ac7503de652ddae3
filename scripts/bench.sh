#!/usr/bin/env bash
# scripts/bench.sh: every figure of issue 5 (generation, compile time and memory, per-call
# overhead, footprint) and of issue 13 (big grids: decode, encode, chunked write), one
# `bench: <name> <value> <unit>` line each, so runs can be diffed.
# Lines starting with `#` are context (date, machine load, toolchain).
#
#   scripts/bench.sh                 # everything (about 15-30 min on a 2-core machine)
#   scripts/bench.sh generation calls footprint compile features scale   # any subset, in that order
#
# Environment: CARGO_TARGET_DIR (default ./target), BENCH_REPEAT (clean builds per measured
# configuration, default 2; the fastest is reported, every run is printed as a comment).
#
# Compile figures are clean builds of the graph-workbook crate alone (its dependencies and
# the codegen build dependency already built: `cargo clean -p graph-workbook` then
# `cargo build -p graph-workbook`), timed with GNU time (wall clock, peak RSS of the largest
# process: rustc) and split with `cargo build --timings` (build script compile, build script
# run, lib). They depend on machine load: compare them only with runs at a similar load.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
T="$CARGO_TARGET_DIR"
REPEAT="${BENCH_REPEAT:-2}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

SECTIONS=("$@")
[ ${#SECTIONS[@]} -eq 0 ] && SECTIONS=(generation calls footprint compile features scale)

note() { echo "# $*"; }
bench() { echo "bench: $1 $2 $3"; }
load() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime; }

# GNU time for peak memory (`time -v`); the shell keyword cannot report it.
if ! /usr/bin/time -v true >/dev/null 2>&1; then
  note "installing GNU time (apt-get install time)"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get install -y -qq time >/dev/null || {
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq time >/dev/null
  }
fi
command -v python3 >/dev/null || { echo "scripts/bench.sh: python3 is needed (timings parsing)" >&2; exit 1; }

note "date: $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores; load: $(load)"
note "$(rustc --version); $(cargo --version)"
note "commit: $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo ' (+ local changes)')"
note "sections: ${SECTIONS[*]}"

# `GNU time -v` field by its label.
tv() { sed -n "s/^[[:space:]]*$1: //p" "$2" | head -1; }
# Elapsed "h:mm:ss" or "m:ss.ss" -> seconds.
secs() { awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f", s }' <<<"$1"; }

# graph-workbook's units from the newest `--timings` report: "<build-script compile> <run> <lib>".
timings() {
  python3 - "$T/cargo-timings/cargo-timing.html" <<'PY'
import json, re, sys
html = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"const UNIT_DATA = (\[.*?\]);\n", html, re.S)
units = json.loads(m.group(1)) if m else []
bs = run = lib = 0.0
for u in units:
    if u.get("name") != "graph-workbook":
        continue
    target, d = u.get("target", ""), float(u.get("duration", 0))
    if "build-script (run)" in target:
        run += d
    elif "build-script" in target:
        bs += d
    elif target.strip() == "":
        lib += d
print(f"{bs:.2f} {run:.2f} {lib:.2f}")
PY
}

# clean_build <label> <cargo build args...>: BENCH_REPEAT clean builds of the crate alone;
# prints wall time and peak RSS of the fastest run, and its --timings split.
clean_build() {
  local label="$1"
  shift
  local best="" best_rss="" best_split="" runs=""
  for _ in $(seq "$REPEAT"); do
    cargo clean -q -p graph-workbook
    local l0
    l0="$(load)"
    /usr/bin/time -v -o "$WORK/time" cargo build -q -p graph-workbook --timings "$@" \
      >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
    local wall rss split
    wall="$(secs "$(tv 'Elapsed (wall clock) time (h:mm:ss or m:ss)' "$WORK/time")")"
    rss="$(tv 'Maximum resident set size (kbytes)' "$WORK/time")"
    split="$(timings)"
    runs="$runs ${wall}s(load $l0)"
    if [ -z "$best" ] || awk "BEGIN { exit !($wall < $best) }"; then
      best="$wall" best_rss="$rss" best_split="$split"
    fi
  done
  note "compile $label [cargo build -p graph-workbook $*]: runs:$runs"
  bench "compile_${label}_s" "$best" s
  bench "compile_${label}_peak_rss_mb" "$(awk "BEGIN { printf \"%.0f\", $best_rss / 1024 }")" MB
  read -r bs run lib <<<"$best_split"
  bench "compile_${label}_lib_s" "$lib" s
  LAST_SPLIT="$bs $run $lib"
  LAST_WALL="$best"
  LAST_LIB="$lib"
}

for section in "${SECTIONS[@]}"; do
  case "$section" in
  generation)
    note "== generation: graph_workbook_codegen::generate on spec/ (release, then unoptimized as in build.rs) =="
    cargo bench -q -p graph-workbook-codegen --bench generate 2>"$WORK/err" | grep '^bench:' || { cat "$WORK/err" >&2; exit 1; }
    BENCH_ITERS=5 cargo test -q -p graph-workbook-codegen --bench generate 2>"$WORK/err" \
      | grep '^bench: debug_' || { cat "$WORK/err" >&2; exit 1; }
    if [ -f codegen/benches/extract.rs ]; then
      note "== extraction: codegen extract over the shared corpora (codegen/benches/extract.rs) =="
      cargo bench -q -p graph-workbook-codegen --bench extract 2>"$WORK/err" | grep '^bench:' || cat "$WORK/err" >&2
    fi
    ;;
  calls)
    note "== per-call overhead: generated client vs hand-written reqwest, 127.0.0.1, same run =="
    cargo bench -q --bench call_overhead 2>"$WORK/err" | grep '^bench:' || { cat "$WORK/err" >&2; exit 1; }
    ;;
  footprint)
    note "== footprint =="
    # The whole surface: without `beta` the OUT_DIR beta.rs is an empty stub. The build with
    # the largest beta.rs is the one with every API file rendered.
    cargo build -q -p graph-workbook --features beta
    od="$(ls -S "$T"/debug/build/graph-workbook-*/out/beta.rs 2>/dev/null | head -1 | xargs -r dirname)"
    [ -n "$od" ] || { echo "scripts/bench.sh: no OUT_DIR with beta.rs" >&2; exit 1; }
    cargo build -q -p graph-workbook
    total_l=0 total_b=0
    for f in v1_0 beta functions; do
      l=$(wc -l <"$od/$f.rs") b=$(wc -c <"$od/$f.rs")
      bench "generated_${f}_lines" "$l" lines
      bench "generated_${f}_bytes" "$b" bytes
      total_l=$((total_l + l)) total_b=$((total_b + b))
    done
    bench generated_total_lines "$total_l" lines
    bench generated_total_bytes "$total_b" bytes
    bench generated_snapshots_bytes "$(cat generated/*.snap | wc -c)" bytes
    bench rlib_debug_default_bytes "$(stat -c %s "$T/debug/libgraph_workbook.rlib")" bytes
    cargo build -q --release -p graph-workbook
    bench rlib_release_default_bytes "$(stat -c %s "$T/release/libgraph_workbook.rlib")" bytes
    cargo build -q --release --example one_call
    cp "$T/release/examples/one_call" "$WORK/one_call"
    bench one_call_release_bytes "$(stat -c %s "$WORK/one_call")" bytes
    strip "$WORK/one_call"
    bench one_call_release_stripped_bytes "$(stat -c %s "$WORK/one_call")" bytes
    ;;
  compile)
    note "== compile: clean debug build of graph-workbook alone, deps built (BENCH_REPEAT=$REPEAT) =="
    cargo build -q -p graph-workbook # dependencies and the codegen build dependency
    cargo build -q --example one_call # dev-dependencies of the example
    clean_build default
    read -r bs run lib <<<"$LAST_SPLIT"
    bench build_script_compile_s "$bs" s
    bench build_script_run_s "$run" s
    bench build_rs_share_pct "$(awk "BEGIN { printf \"%.1f\", 100 * ($bs + $run) / ($bs + $run + $lib) }")" %
    # The generation alone, running the build script binary directly (no cargo around it).
    bsbin="$(ls -t "$T"/debug/build/graph-workbook-*/build-script-build | head -1)"
    mkdir -p "$WORK/out"
    /usr/bin/time -v -o "$WORK/time" env OUT_DIR="$WORK/out" CARGO_MANIFEST_DIR="$ROOT" "$bsbin" >/dev/null
    bench build_script_run_direct_s "$(secs "$(tv 'Elapsed (wall clock) time (h:mm:ss or m:ss)' "$WORK/time")")" s
    bench build_script_run_direct_peak_rss_mb \
      "$(awk "BEGIN { printf \"%.0f\", $(tv 'Maximum resident set size (kbytes)' "$WORK/time") / 1024 }")" MB
    # A tiny binary that uses the crate (examples/one_call.rs): crate + binary from clean.
    best=""
    for _ in $(seq "$REPEAT"); do
      cargo clean -q -p graph-workbook
      /usr/bin/time -v -o "$WORK/time" cargo build -q --example one_call >"$WORK/build.log" 2>&1 \
        || { cat "$WORK/build.log" >&2; exit 1; }
      w="$(secs "$(tv 'Elapsed (wall clock) time (h:mm:ss or m:ss)' "$WORK/time")")"
      r="$(tv 'Maximum resident set size (kbytes)' "$WORK/time")"
      if [ -z "$best" ] || awk "BEGIN { exit !($w < $best) }"; then best="$w" best_rss="$r"; fi
    done
    bench compile_tiny_binary_s "$best" s
    bench compile_tiny_binary_peak_rss_mb "$(awk "BEGIN { printf \"%.0f\", $best_rss / 1024 }")" MB
    note "load after compile section: $(load)"
    ;;
  features)
    note "== cost of each cargo feature: clean debug build of the crate alone (BENCH_REPEAT=$REPEAT) =="
    clean_build no_default_features --no-default-features
    # A feature's cost: the crate's rustc time (the `lib` unit of --timings, without cargo and
    # the build script) with the feature minus without it.
    none="$LAST_LIB"
    for f in charts tables pivot-tables comments functions; do
      clean_build "only_${f//-/_}" --no-default-features --features "$f"
      bench "feature_cost_${f//-/_}_s" "$(awk "BEGIN { printf \"%.2f\", $LAST_LIB - $none }")" s
    done
    clean_build default
    default="$LAST_LIB"
    clean_build default_beta --features beta
    bench feature_cost_beta_s "$(awk "BEGIN { printf \"%.2f\", $LAST_LIB - $default }")" s
    note "load after features section: $(load)"
    ;;
  scale)
    note "== big grids: 1,000,000-cell decode vs serde_json::Value, encode, chunked write to 127.0.0.1 (benches/scale.rs) =="
    cargo bench -q --bench scale 2>"$WORK/err" | grep -E '^(bench:|#)' || { cat "$WORK/err" >&2; exit 1; }
    ;;
  *)
    echo "scripts/bench.sh: unknown section '$section' (generation calls footprint compile features scale)" >&2
    exit 2
    ;;
  esac
done
