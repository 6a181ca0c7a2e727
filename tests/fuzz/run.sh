#!/usr/bin/env bash
# Runs every fuzz target for a fixed budget (seconds, default 60) on a stable compiler
# (`cargo fuzz` with `--sanitizer none`; Rust's own checks still turn any panic into a crash).
# Seeds: the shipped scenarios, the test fixtures and the broken examples; a saved session.
# A crash is written to tests/fuzz/artifacts/<target>/ — turn it into a regression test.
#   bash tests/fuzz/run.sh [SECONDS]      (needs: cargo install cargo-fuzz)
set -euo pipefail
cd "$(dirname "$0")"
budget="${1:-60}"
mkdir -p corpus/load_scenario corpus/expression corpus/restore_session
cp ../../scenarios/*.ron ../fixtures/*.ron ../broken/*.ron corpus/load_scenario/
printf 'overlegd && zorgen >= 1\nzorgen += 1' > corpus/expression/seed1
printf '!(zorgen > 2) || mila.trust >= visits(start)\nmila.mood -= 1' > corpus/expression/seed2
if [ ! -s corpus/restore_session/seed ]; then
    # A real saved session, as the records database keeps it.
    data=$(mktemp -d)
    casus() { (cd ../.. && cargo run -q --no-default-features -- --data "$data" "$@"); }
    trainee=$(casus records add-trainee --name Fuzz)
    casus play tests/fixtures/mini.ron --mode practice --choices 1,2,b,1 --record "$trainee" \
        >/dev/null 2>&1
    python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); \
print(c.execute('select session from attempts').fetchone()[0], end='')" \
        "$data/casus-records.sqlite" > corpus/restore_session/seed
    rm -rf "$data"
fi
for t in load_scenario expression restore_session; do
    echo "== $t: ${budget}s"
    cargo fuzz run --fuzz-dir . -s none -O "$t" "corpus/$t" -- -max_total_time="$budget" -max_len=65536 \
        -rss_limit_mb=2048 -timeout=10 2>&1 | grep -E "^(#[0-9]+ +DONE|Done|==|.*ERROR|.*panicked)" || true
done
