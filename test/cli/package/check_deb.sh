#!/bin/bash
# Builds the venusd .deb with CPack into a temporary directory and checks its contents.
# Usage: check_deb.sh BUILD_DIR SOURCE_DIR VERSION VENUSD_BINARY|none
# Exit 77 (ctest: skipped) when there is nothing to package yet or the Debian tools are missing.
set -euo pipefail

build_dir=$1
source_dir=$2
version=$3
binary=$4

skip() { echo "SKIPPED: $*"; exit 77; }
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }

[ "$binary" != none ] || skip "the venusd target does not exist in this tree yet (src/cli); no package to check"
for tool in cpack dpkg-deb; do
    command -v "$tool" >/dev/null || skip "$tool is not installed"
done
if [ ! -x "$binary" ]; then
    echo "FAIL: $binary is not built; build the venusd target before running this test"
    exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! (cd "$build_dir" && cpack -G DEB -B "$work/out") >"$work/cpack.log" 2>&1; then
    cat "$work/cpack.log"
    echo "FAIL: cpack -G DEB failed"
    exit 1
fi
shopt -s nullglob
debs=("$work"/out/*.deb)
[ ${#debs[@]} -eq 1 ] || { cat "$work/cpack.log"; echo "FAIL: expected one .deb, found ${#debs[@]}"; exit 1; }
deb=${debs[0]}
echo "package: $(basename "$deb")"

contents=$(dpkg-deb -c "$deb")
info=$(dpkg-deb -I "$deb")
field() { dpkg-deb -f "$deb" "$1"; }

# Files, their modes and owners: "-rwxr-xr-x root/root ... ./usr/bin/venusd"
has_file() {  # path mode
    local line
    line=$(grep -E " \./${1#/}\$" <<<"$contents" || true)
    if [ -z "$line" ]; then fail "$1 is not in the package"; return; fi
    [[ $line == "$2 root/root "* ]] && ok "$1 ($2 root/root)" || fail "$1: unexpected mode/owner: $line"
}
has_file /usr/bin/venusd -rwxr-xr-x
has_file /lib/systemd/system/venusd.service -rw-r--r--
if [ -f "$source_dir/etc/venusd.toml" ]; then
    has_file /etc/venusd/venusd.toml -rw-r-----
fi

# Control fields.
[ "$(field Package)" = venusd ] && ok "Package: venusd" || fail "Package is '$(field Package)'"
[ "$(field Version)" = "$version" ] && ok "Version: $version" || fail "Version is '$(field Version)', expected $version"
depends=$(field Depends)
echo "Depends: $depends"
# Package names in Depends, alternatives included, without version constraints.
depends_names=$(tr ',|' '\n\n' <<<"$depends" | sed -e 's/(.*)//' -e 's/[[:space:]]//g' | grep -v '^$' || true)
depends_on() { grep -qxF "$1" <<<"$depends_names"; }
depends_on adduser && ok "depends on adduser (postinst)" || fail "Depends lacks adduser"
[ -n "$(field Maintainer)" ] && ok "Maintainer set" || fail "no Maintainer"
[ -n "$(field Description)" ] && ok "Description set" || fail "no Description"

# Maintainer scripts and conffiles.
dpkg-deb -e "$deb" "$work/control"
for script in postinst prerm postrm; do
    if [ -x "$work/control/$script" ]; then ok "$script is executable"; else fail "$script missing or not executable"; fi
done
grep -q "adduser --system" "$work/control/postinst" && ok "postinst creates the system user" ||
    fail "postinst does not create the venusd user"
if [ -f "$source_dir/etc/venusd.toml" ]; then
    grep -qx "/etc/venusd/venusd.toml" "$work/control/conffiles" 2>/dev/null && ok "venusd.toml is a conffile" ||
        fail "/etc/venusd/venusd.toml is not listed in conffiles"
fi
grep -q "conffiles" <<<"$info" || [ ! -f "$source_dir/etc/venusd.toml" ] || fail "dpkg-deb -I lists no conffiles"

# The unit in the package is the one in the tree, with its hardening.
dpkg-deb -x "$deb" "$work/root"
unit=$work/root/lib/systemd/system/venusd.service
if cmp -s "$unit" "$source_dir/packaging/systemd/venusd.service"; then ok "unit matches packaging/systemd"; else fail "unit differs from the source"; fi
for line in "User=venusd" "StateDirectory=venusd" "Environment=VENUSD_PATH=/var/lib/venusd" "UMask=0077" \
    "NoNewPrivileges=yes" "ProtectSystem=strict" "ProtectHome=yes" "PrivateTmp=yes" "PrivateDevices=yes" \
    "Restart=on-failure" "ExecStart=/usr/bin/venusd run --config /etc/venusd/venusd.toml"; do
    grep -qxF "$line" "$unit" && ok "unit: $line" || fail "unit lacks '$line'"
done
grep -qE "^LimitNOFILE=[0-9]+" "$unit" && ok "unit: LimitNOFILE" || fail "unit lacks LimitNOFILE"
if command -v systemd-analyze >/dev/null; then
    # Point ExecStart at the packaged binary so verify checks the unit, not this host's /usr/bin.
    sed "s|/usr/bin/venusd|$work/root/usr/bin/venusd|" "$unit" >"$work/venusd.service"
    if out=$(systemd-analyze verify "$work/venusd.service" 2>&1); then ok "systemd-analyze verify"; else
        echo "$out"; fail "systemd-analyze verify reports problems"; fi
fi
# Every shared library the packaged binary needs comes from a package it depends on.
if command -v readelf >/dev/null && command -v dpkg >/dev/null; then
    needed=$(readelf -d "$work/root/usr/bin/venusd" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p')
    for so in $needed; do
        # awk reads to the end: an early exit would SIGPIPE ldconfig and fail the pipeline.
        path=$(ldconfig -p | awk -v so="$so" '$1 == so && !found { print $NF; found = 1 }')
        owner=""
        for candidate in "$path" "$(readlink -f "$path" 2>/dev/null)" "/usr$path"; do
            [ -n "$candidate" ] || continue
            owner=$(dpkg -S "$candidate" 2>/dev/null | sed -n '1s/:.*//p' || true)
            [ -n "$owner" ] && break
        done
        if [ -z "$owner" ]; then echo "note: no package owns $so ($path); not checked"; continue; fi
        # The dependency may name the owner or a virtual package it provides (libspdlog1.10-fmt9).
        provides=$(dpkg-query -W -f='${Provides}' "$owner" 2>/dev/null | tr ',' '\n' | sed -e 's/(.*)//' -e 's/[[:space:]]//g')
        satisfied=""
        for name in "$owner" $provides; do depends_on "$name" && satisfied=$name && break; done
        [ -n "$satisfied" ] && ok "$so: depends on $satisfied" || fail "venusd needs $so from $owner, not in Depends"
    done
fi
"$work/root/usr/bin/venusd" --help >/dev/null 2>&1 && ok "packaged venusd runs (--help)" ||
    fail "packaged venusd does not run"

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
echo "all package checks passed"
