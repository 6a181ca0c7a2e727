#!/usr/bin/env bash
# Start-up against library size: `casus list` (cold: empty cache; warm: second run) and the
# app's first frame, for libraries of N cases (clones of the seven shipped cases under new ids,
# each with its English translation). Usage, with a release build:
#   cargo build --release && bash benches/library.sh [target/release/casus] [SIZES…]
# Prints one line per size; docs/benchmarks.md records the last run.
set -euo pipefail
bin=$(realpath "${1:-target/release/casus}")
shift || true
sizes=${*:-10 100 1000}
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ms() { # run a command, print its wall time in ms and its peak memory in MB
    /usr/bin/time -f "%e %M" -o "$work/t" "$@" >/dev/null 2>&1 || true
    awk '{ printf "%6.0f ms %5.0f MB", $1 * 1000, $2 / 1024 }' "$work/t"
}
for n in $sizes; do
    lib=$work/lib-$n
    data=$work/data-$n
    mkdir -p "$lib" "$data"
    i=0
    while [ "$i" -lt "$n" ]; do
        for f in scenarios/*.ron; do
            base=$(basename "$f" .ron)
            case "$base" in goals | *.en) continue ;; esac
            [ "$i" -lt "$n" ] || break
            id="$base-$i"
            sed "s/^    id: \"$base\",/    id: \"$id\",/" "$f" >"$lib/$id.ron"
            sed "s/^    scenario: \"$base\",/    scenario: \"$id\",/" "scenarios/$base.en.ron" >"$lib/$id.en.ron"
            i=$((i + 1))
        done
    done
    cold=$(ms "$bin" --data "$data" --no-shipped --scenarios "$lib" list)
    warm=$(ms "$bin" --data "$data" --no-shipped --scenarios "$lib" list)
    count=$("$bin" --data "$data" --no-shipped --scenarios "$lib" list 2>/dev/null | tail -n +2 | wc -l)
    line="$n cases ($count listed): list cold $cold, warm $warm"
    if "$bin" app --help >/dev/null 2>&1 && command -v xvfb-run >/dev/null; then
        # The app's first frame, with the library already cached (second start), and its memory
        # once every case has arrived.
        log=$work/app-$n.log
        xvfb-run -a -s "-screen 0 1280x800x24" "$bin" --data "$data" --no-shipped --scenarios "$lib" app >"$log" 2>&1 &
        runner=$!
        for _ in $(seq 1 600); do
            grep -q "library loaded" "$log" && break
            sleep 0.2
        done
        pid=$(pgrep -n -f "$bin --data $data --no-shipped" || true)
        first=$(grep -o 'first frame drawn [0-9]* ms' "$log" | grep -o '[0-9]*' || echo "?")
        loaded=$(grep -o 'library loaded: [0-9]* cases in [0-9]* ms' "$log" || echo "not loaded")
        mem=$(awk '/VmHWM/ {printf "%.0f MB", $2 / 1024}' "/proc/$pid/status" 2>/dev/null || echo "?")
        kill "$pid" 2>/dev/null || true
        wait "$runner" 2>/dev/null || true
        line="$line; app first frame $first ms, $loaded, peak memory $mem"
    fi
    echo "$line"
done
