#!/usr/bin/env bash
# Start-up, frame time, idle CPU and peak memory of the desktop app under Xvfb with Mesa's
# software Vulkan (apt-get install xvfb xauth mesa-vulkan-drivers). Usage:
#   cargo build --release && bash benches/app.sh [target/release/casus]
# Prints one line per figure; docs/benchmarks.md records the last run.
set -euo pipefail
bin=${1:-target/release/casus}
data=$(mktemp -d)
log=$(mktemp)
# 1. Start-up to the first frame, and the idle window: the app alone, reactive winit settings.
xvfb-run -a -s "-screen 0 1280x800x24" "$bin" --data "$data" app >"$log" 2>&1 &
runner=$!
for _ in $(seq 1 100); do
    grep -q "first frame drawn" "$log" && break
    sleep 0.2
done
pid=$(pgrep -n -f "$bin --data $data app" || true)
echo "first frame: $(grep -o 'first frame drawn [0-9]* ms' "$log" | grep -o '[0-9]*') ms after start"
sleep 5 # settle: assets loaded, no input
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
t0=$(ticks)
sleep 20
t1=$(ticks)
echo "idle CPU: $(awk -v a="$t0" -v b="$t1" -v hz="$hz" 'BEGIN { printf "%.2f", 100 * (b - a) / hz / 20 }')% of one core over 20 s"
echo "peak memory (VmHWM): $(awk '/VmHWM/ {print $2, $3}' "/proc/$pid/status")"
kill "$pid" 2>/dev/null || true
wait "$runner" 2>/dev/null || true
# 2. Frame time while playing: the play screen rendered continuously (screenshot mode).
xvfb-run -a -s "-screen 0 1280x800x24" "$bin" --data "$data/play" app --screenshot "$data/play.png" \
    --screen play --scenario maandag-blauwe-plekken --choices 2 --frames 120 >"$log" 2>&1
echo "frame time while playing: $(grep -o 'mean frame time [0-9.]* ms over [0-9]* frames' "$log")"
# 3. Frame time while the scene animates (a line being said, a face and the veil moving) against
# the same scene at rest, in the same run: a night street with three people.
door=c_naar_school,c_open_luisteren,c_conclusie_noteren,c_confronteer_melissa
for how in rest animate; do
    extra=()
    [ "$how" = animate ] && extra=(--animate)
    xvfb-run -a -s "-screen 0 1280x800x24" "$bin" --data "$data/$how" app --screenshot "$data/$how.png" \
        --screen play --scenario maandag-blauwe-plekken --mode exam --choices "$door" --frames 40 \
        "${extra[@]}" >"$log" 2>&1
    echo "scene $how: $(grep -o 'mean frame time [0-9.]* ms over [0-9]* frames' "$log")"
done
rm -rf "$data" "$log"
