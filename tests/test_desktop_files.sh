#!/usr/bin/env bash
# The desktop integration files as built (no install, no root): the desktop entry passes
# desktop-file-validate, the AppStream metainfo passes appstreamcli validate --no-net and its newest
# release is the project's version (and the Debian changelog's), the MIME type compiles with update-mime-database and maps
# *.s4session, and the icon PNGs rendered from the SVG have their sizes.
# usage: test_desktop_files.sh SOURCE_DIR BUILD_DIR VERSION
set -euo pipefail
src=$1 build=$2 version=$3
app_id=io.github.s4scope.s4scope
fail() { echo "FAIL: $*" >&2; exit 1; }
for tool in desktop-file-validate appstreamcli update-mime-database; do
  command -v "$tool" >/dev/null || fail "$tool not found (bash scripts/setup.sh installs it)"
done

desktop-file-validate "$src/packaging/linux/$app_id.desktop" || fail "desktop-file-validate rejects $app_id.desktop"
grep -q "^MimeType=.*application/x-s4scope-session;" "$src/packaging/linux/$app_id.desktop" || fail "the desktop entry does not take sessions"

metainfo=$build/packaging/$app_id.metainfo.xml
appstreamcli validate --no-net "$metainfo" || fail "appstreamcli rejects $metainfo"
newest=$(grep -o '<release version="[^"]*"' "$metainfo" | head -1 | cut -d'"' -f2)
[ "$newest" = "$version" ] || fail "the metainfo's newest <release> is '$newest', the project's version $version"

changelog=$(head -1 "$src/packaging/debian/changelog" | sed -n 's/^s4scope (\([^)]*\)).*/\1/p')
[ "$changelog" = "$version" ] || fail "packaging/debian/changelog's newest entry is '$changelog', the project's version $version"

mime=$(mktemp -d)
trap 'rm -rf "$mime"' EXIT
mkdir "$mime/packages"
cp "$src/packaging/linux/$app_id.mime.xml" "$mime/packages/$app_id.xml"
update-mime-database "$mime" >"$mime/log" 2>&1 || { cat "$mime/log"; fail "update-mime-database failed"; }
if grep -qi "error\|warning\|invalid\|unknown" "$mime/log"; then cat "$mime/log"; fail "update-mime-database complains about the MIME type"; fi
grep -q "application/x-s4scope-session:\*\.s4session" "$mime/globs2" || fail "the MIME type does not map *.s4session"

png_size() { local b; b=($(od -An -tu1 -j16 -N8 "$1")); echo "$(( (b[2]<<8) + b[3] ))x$(( (b[6]<<8) + b[7] ))"; }
for size in 16 22 24 32 48 64 128 256 512; do
  png=$build/packaging/icons/${size}x${size}/$app_id.png
  [ -f "$png" ] || fail "$png missing (rsvg-convert from librsvg2-bin renders it at build time)"
  [ "$(png_size "$png")" = "${size}x${size}" ] || fail "$png is $(png_size "$png")"
done
echo "PASS"
