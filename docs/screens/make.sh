#!/usr/bin/env bash
# Renders the screens shown in the README (Dutch, 1280×800) and, in docs/screens/more/, the
# same screens in English, and in both languages at 1024×640 with the large font. Needs Xvfb and Mesa's
# software Vulkan (apt-get install xvfb mesa-vulkan-drivers) and a debug build (cargo build).
set -euo pipefail
cd "$(dirname "$0")/../.."
casus=target/debug/casus
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
shot() { # out lang size font screen
    xvfb-run -a -s "-screen 0 1920x1080x24" "$casus" app --lang "$2" --size "$3" --font-size "$4" \
        --screenshot "$1" --screen "$5" --scenario maandag-blauwe-plekken --mode practice \
        --choices c_naar_school,c_open_luisteren,c_conclusie_noteren --data "$data/$2-$3-$5" \
        >/dev/null 2>&1
}
for s in profiles library play debrief progress; do
    shot "docs/screens/$s.png" nl 1280x800 16 "$s"
    shot "docs/screens/more/${s}-en.png" en 1280x800 16 "$s"
    shot "docs/screens/more/${s}-nl-1024-large.png" nl 1024x640 22 "$s"
    shot "docs/screens/more/${s}-en-1024-large.png" en 1024x640 22 "$s"
done
echo "rendered into docs/screens"
