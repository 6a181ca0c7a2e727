#!/usr/bin/env bash
# Instructions spent checking (parse, spans, semantic checks, analysis: `load_str`) and analysing
# (`analyse`) generated scenarios of growing size, counted by callgrind: unlike wall-clock time,
# the count does not depend on caches, page faults or what else the machine is doing, so it shows
# the algorithms' growth alone. Needs valgrind (apt-get install valgrind). Usage:
#   bash benches/scaling.sh [NODES ...]        (default: 1000 2000 5000 10000 20000)
# Prints instructions per node and the growth against the first size; docs/benchmarks.md
# records the last run.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 2000 5000 10000 20000)
bin=$(cargo bench --no-default-features --bench analysis --no-run 2>&1 | grep -o 'target/release/deps/analysis-[0-9a-f]*' | head -1)
[ -x "$bin" ] || { echo "could not build the analysis bench" >&2; exit 1; }
out=$(mktemp -d)
count() { # $1 = nodes, $2 = function: total instructions inside it
    CASUS_SCALING_ONCE=$1 valgrind --tool=callgrind --callgrind-out-file="$out/cg" \
        "--toggle-collect=$2" "$bin" >/dev/null 2>"$out/log"
    grep -o 'Collected : [0-9]*' "$out/log" | grep -o '[0-9]*$'
}
printf '%8s  %16s %10s  %16s %10s\n' nodes "check instr/node" growth "analyse instr/node" growth
first_c=""
first_a=""
for n in "${sizes[@]}"; do
    c=$(count "$n" 'casus::scenario::load::load_str')
    a=$(count "$n" 'casus::analysis::report::analyse')
    pc=$((c / n))
    pa=$((a / n))
    [ -n "$first_c" ] || { first_c=$pc; first_a=$pa; }
    printf '%8d  %16d %9.2fx  %16d %9.2fx\n' "$n" "$pc" \
        "$(echo "$pc / $first_c" | bc -l)" "$pa" "$(echo "$pa / $first_a" | bc -l)"
done
rm -rf "$out"
