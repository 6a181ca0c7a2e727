#!/usr/bin/env bash
# Builds what a trainee installs, into target/package/:
#   casus_<version>_<arch>.deb              a Debian/Ubuntu package: /usr/bin/casus, a desktop
#                                           entry and icon, the help text, the shipped case files
#   casus-<version>-linux-<machine>.tar.gz  the program alone with a README, to run from any folder
# The shipped cases travel inside the program; nothing else is needed at run time.
# Usage: bash packaging/build.sh [PROFILE]   (default: release; CI packages the debug build it
# has just tested, to install and run it without a second, long build)
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${1:-release}
case "$profile" in dev | test) dir=debug ;; *) dir=$profile ;; esac
cargo build --locked --profile "$profile"
bin=target/$dir/casus
version=$("$bin" --version | awk '{print $2}')
arch=$(dpkg --print-architecture 2>/dev/null || echo amd64)
out=target/package
rm -rf "$out"
mkdir -p "$out"

help_text() {
    "$bin" --help
    for sub in app list check play records analyse simulate graph translate; do
        printf '\n\n== casus %s ==\n\n' "$sub"
        "$bin" "$sub" --help
    done
}

# The Debian package.
root=$out/deb/casus_${version}_$arch
install -Dm755 "$bin" "$root/usr/bin/casus"
install -Dm644 packaging/casus.desktop "$root/usr/share/applications/casus.desktop"
install -Dm644 packaging/casus.svg "$root/usr/share/icons/hicolor/scalable/apps/casus.svg"
install -Dm644 packaging/README.txt "$root/usr/share/doc/casus/README"
help_text >"$root/usr/share/doc/casus/help.txt"
# The shipped cases are inside the program; their files are here for trainers to read and adapt.
install -d "$root/usr/share/doc/casus/scenarios"
install -m644 scenarios/*.ron "$root/usr/share/doc/casus/scenarios/"
install -d "$root/DEBIAN"
cat >"$root/DEBIAN/control" <<CONTROL
Package: casus
Version: $version
Architecture: $arch
Maintainer: Casus <casus@example.org>
Section: education
Priority: optional
Installed-Size: $(du -sk "$root/usr" | cut -f1)
Depends: libc6, libgcc-s1, libvulkan1, mesa-vulkan-drivers | vulkan-icd, libx11-6, libxcursor1, libxrandr2, libxi6, libxkbcommon-x11-0
Description: training simulator for complex child-safety cases and divorces
 Casus plays branching case scenarios from Dutch youth protection (the meldcode,
 complex safety cases, high-conflict divorces). Every decision is scored against
 expertise goals, explained with the expert's rationale, and kept as a progress
 record that can be exported (CSV, JSON, xAPI) for SKJ re-registration.
CONTROL
dpkg-deb --root-owner-group --build "$root" "$out/casus_${version}_$arch.deb" >/dev/null

# The portable archive.
name=casus-$version-linux-$(uname -m)
install -Dm755 "$bin" "$out/tar/$name/casus"
install -m644 packaging/README.txt "$out/tar/$name/README.txt"
help_text >"$out/tar/$name/help.txt"
tar -C "$out/tar" -czf "$out/$name.tar.gz" "$name"
rm -rf "$out/deb" "$out/tar"
ls -l "$out"
