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
echo "rendered the screens into docs/screens"

# The scene at five moments across four cases (exam mode: the people react, no numbers), in
# docs/screens/scene/: a school, a front door at night, a living room with a baby, a night phone
# call and a meeting with both parents.
scene() { # out lang size case choices [extra options]
    xvfb-run -a -s "-screen 0 1920x1080x24" "$casus" app --lang "$2" --size "$3" \
        --screenshot "$1" --screen play --scenario "$4" --mode exam --choices "$5" \
        --data "$data/scene-$2-$3-$4-${5//,/-}" "${@:6}" >/dev/null 2>&1
}
mkdir -p docs/screens/scene
for lang in nl en; do
    scene "docs/screens/scene/school-$lang.png" "$lang" 1280x800 maandag-blauwe-plekken c_naar_school
    # The door is the first node of a part that ends on the phone the next morning: the picture
    # is taken while Melissa's line is being said (the scene moving, 25 frames in).
    scene "docs/screens/scene/door-night-$lang.png" "$lang" 1280x800 maandag-blauwe-plekken \
        c_naar_school,c_open_luisteren,c_conclusie_noteren,c_confronteer_melissa --animate --frames 25
    scene "docs/screens/scene/home-$lang.png" "$lang" 1280x800 stil-huis c_afsluitbrief,c_kinderen_zien
    scene "docs/screens/scene/phone-night-$lang.png" "$lang" 1280x800 crisis-in-de-nacht ""
    # The joint talk opens a part that ends with each parent seen apart: taken while it is on.
    scene "docs/screens/scene/meeting-$lang.png" "$lang" 1280x800 van-strijd-naar-zorg c_samen_aan_tafel \
        --animate --frames 20
done
scene docs/screens/scene/meeting-nl-1024.png nl 1024x640 van-strijd-naar-zorg c_samen_aan_tafel \
    --animate --frames 20
echo "rendered the scenes into docs/screens/scene"
