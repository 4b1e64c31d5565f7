#!/usr/bin/env bash
# The Debian package end to end: CPack builds it from this build tree (the programs already built),
# dpkg installs it, the installed desktop entry, AppStream metainfo, MIME type, icons and man pages
# are checked with the desktop's own tools, the installed s4scope-cli classifies an installed clip
# from another folder, the installed s4scope renders a figure offscreen, and dpkg removes and purges
# it leaving none of its files. Needs root (dpkg -i); skips otherwise, and never touches an
# s4scope package that was installed before it started.
# usage: test_package.sh BUILD_DIR SOURCE_DIR VERSION
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
version=$3
app_id=io.github.s4scope.s4scope
res=/usr/share/s4scope/resources

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "--- $* (at ${SECONDS} s)"; }

[ "$(id -u)" -eq 0 ] || skip "installing the package needs root (dpkg -i); run as root to test it (CI does)"
[ -f "$build/CPackConfig.cmake" ] || fail "$build/CPackConfig.cmake missing: configure with CMake first"
for tool in cpack dpkg dpkg-deb dpkg-shlibdeps desktop-file-validate appstreamcli update-mime-database update-desktop-database; do
  command -v "$tool" >/dev/null || fail "$tool not found (bash scripts/setup.sh installs it)"
done
if dpkg-query -W -f='${Status}' s4scope 2>/dev/null | grep -q " installed$"; then
  skip "a package named s4scope is already installed here; this test will not replace or remove it (dpkg --purge s4scope first)"
fi

work=$(mktemp -d /tmp/s4scope-package-test.XXXXXX)
installed_by_us=0
cleanup() {
  if [ "$installed_by_us" = 1 ]; then dpkg_retry dpkg --purge s4scope >/dev/null 2>&1 || echo "warning: could not purge s4scope" >&2; fi
  rm -rf "$work"
}
trap cleanup EXIT

# dpkg refuses to wait for its lock (another apt or dpkg running): retry for up to 5 minutes.
dpkg_retry() {
  local out
  for _ in $(seq 60); do
    if out=$("$@" 2>&1); then printf '%s\n' "$out"; return 0; fi
    if grep -qi "lock" <<<"$out"; then sleep 5; continue; fi
    printf '%s\n' "$out" >&2
    return 1
  done
  echo "dpkg's lock stayed busy for 5 minutes" >&2
  return 1
}

png_size() {  # WIDTHxHEIGHT from a PNG's IHDR
  local b
  b=($(od -An -tu1 -j16 -N8 "$1"))
  echo "$(( (b[0]<<24) + (b[1]<<16) + (b[2]<<8) + b[3] ))x$(( (b[4]<<24) + (b[5]<<16) + (b[6]<<8) + b[7] ))"
}

step "cpack -G DEB"
started=$(date +%s)
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1 || { cat "$work/cpack.log"; fail "cpack failed"; }
debs=("$work"/out/s4scope_*.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || fail "expected one s4scope_*.deb in $work/out, found: ${debs[*]}"
deb=${debs[0]}
echo "$(basename "$deb"): $(du -h "$deb" | cut -f1), built in $(( $(date +%s) - started )) s"

step "package fields"
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = s4scope ] || fail "Package is '$(field Package)'"
[ "$(field Version)" = "$version" ] || fail "Version is '$(field Version)', the project's is $version"
[ "$(field Architecture)" = "$(dpkg --print-architecture)" ] || fail "Architecture is '$(field Architecture)'"
depends=$(field Depends)
echo "Depends: $depends"
for lib in libtorch libqt6widgets6 libqt6multimedia6 libqt6svg6 libsndfile1 libsoxr0 libstdc++6; do
  grep -q "\b$lib" <<<"$depends" || fail "Depends lacks $lib (dpkg-shlibdeps should have found it)"
done

step "package contents"
dpkg-deb -c "$deb" | awk '{print $6}' >"$work/contents"
if grep -v '^\./usr/' "$work/contents" | grep -vx '\./' ; then fail "files outside /usr (listed above)"; fi
expected=(
  ./usr/bin/s4scope ./usr/bin/s4scope-cli
  ./usr/share/s4scope/resources/models/s4_kws.pt ./usr/share/s4scope/resources/models/s4_kws_config.json
  ./usr/share/applications/$app_id.desktop ./usr/share/metainfo/$app_id.metainfo.xml
  ./usr/share/mime/packages/$app_id.xml ./usr/share/icons/hicolor/scalable/apps/$app_id.svg
  ./usr/share/man/man1/s4scope.1.gz ./usr/share/man/man1/s4scope-cli.1.gz ./usr/share/doc/s4scope/copyright
)
for size in 16 22 24 32 48 64 128 256 512; do expected+=(./usr/share/icons/hicolor/${size}x${size}/apps/$app_id.png); done
for clip in "$src"/resources/clips/*.wav; do expected+=(./usr/share/s4scope/resources/clips/$(basename "$clip")); done
for f in "${expected[@]}"; do grep -qx "$f" "$work/contents" || fail "the package lacks $f"; done

if command -v lintian >/dev/null; then  # optional (not in setup.sh): Debian policy errors fail the test
  step "lintian"
  lintian --fail-on error "$deb" || fail "lintian reports errors (above)"
fi

step "dpkg -i"
dpkg_retry dpkg -i "$deb" >"$work/install.log" || { cat "$work/install.log"; fail "dpkg -i failed"; }
installed_by_us=1
dpkg-query -W -f='${Status}' s4scope | grep -q "install ok installed" || fail "s4scope not 'install ok installed' after dpkg -i"
dpkg -L s4scope | while read -r f; do [ -d "$f" ] || echo "$f"; done >"$work/files"
[ -s "$work/files" ] || fail "dpkg -L s4scope lists no files"

step "desktop entry, AppStream metainfo, MIME type, icons, man pages"
desktop-file-validate "/usr/share/applications/$app_id.desktop" || fail "desktop-file-validate rejects the desktop entry"
appstreamcli validate --no-net "/usr/share/metainfo/$app_id.metainfo.xml" || fail "appstreamcli rejects the metainfo"
metainfo=/usr/share/metainfo/$app_id.metainfo.xml
newest=$(grep -o '<release version="[^"]*"' "$metainfo" | head -1 | cut -d'"' -f2)
[ "$newest" = "$version" ] || fail "the newest <release> in the metainfo is '$newest', the project's version $version"
shots=$(grep -o '<image[^>]*>[^<]*</image>' "$metainfo" | sed 's/<[^>]*>//g')
[ -n "$shots" ] || fail "the metainfo has no screenshots"
for url in $shots; do
  [ -f "$src/docs/$(basename "$url")" ] || fail "screenshot $url is not one of docs/*.png"
done
grep -q "application/x-s4scope-session:\*\.s4session" /usr/share/mime/globs2 ||
  fail "the MIME database does not know *.s4session after install (shared-mime-info trigger)"
cache=/usr/share/applications/mimeinfo.cache
for type in application/x-s4scope-session audio/x-wav audio/flac audio/mpeg audio/ogg; do
  grep -q "^$type=.*$app_id\.desktop" "$cache" || fail "$app_id.desktop is not registered for $type in $cache"
done
for size in 16 48 256 512; do
  got=$(png_size "/usr/share/icons/hicolor/${size}x${size}/apps/$app_id.png")
  [ "$got" = "${size}x${size}" ] || fail "the ${size}x${size} icon is $got"
done
for page in s4scope s4scope-cli; do
  gzip -t "/usr/share/man/man1/$page.1.gz" || fail "$page.1.gz is not valid gzip"
  zcat "/usr/share/man/man1/$page.1.gz" | grep -q "^\.SH NAME" || fail "$page.1.gz has no NAME section"
  if command -v man >/dev/null; then [ "$(man -w "$page")" = "/usr/share/man/man1/$page.1.gz" ] || fail "man -w $page: $(man -w "$page" 2>&1)"; fi
done

step "the installed programs, from another folder"
# The programs fall back to the source tree's resources/ (baked in at build time) when they find no
# installed ones: hide that folder (a private mount namespace, an empty tmpfs over it) so that only
# the lookup beside /usr/bin can succeed. Without unshare, the run is direct (and weaker).
installed_only() {
  if unshare -m bash -c 'mount -t tmpfs s4scope-test "$0"' "$src/resources" 2>/dev/null; then
    unshare -m bash -c 'mount -t tmpfs s4scope-test "$0" && exec "$@"' "$src/resources" "$@"
  else
    echo "(no private mount namespace here: the source tree's resources stay visible)" >&2
    "$@"
  fi
}
mkdir "$work/elsewhere"
cd "$work/elsewhere"
unset S4SCOPE_RESOURCES
! ldd /usr/bin/s4scope /usr/bin/s4scope-cli | grep "not found" || fail "unresolved libraries (above)"
# Until s4scope-cli defaults to the bundled model, the model is named explicitly (the installed one).
out=$(installed_only /usr/bin/s4scope-cli classify --input "$res/clips/yes.wav" --model "$res/models" --json) ||
  fail "s4scope-cli classify failed: $out"
echo "$out" | grep -E '"(label|model)"'
grep -Eq '"label": *"yes"' <<<"$out" || fail "installed s4scope-cli did not classify yes.wav as yes"
grep -Eq "\"model\": *\"$res/models/" <<<"$out" || fail "installed s4scope-cli did not use the installed model"
# The desktop app finds the bundled model by itself: it explains the predicted class, 'yes' with the
# bundled model ('left' with the freshly initialised one it falls back to), and says so in the
# figure's title (an SVG keeps it as text).
QT_QPA_PLATFORM=offscreen installed_only timeout 300 /usr/bin/s4scope "$res/clips/yes.wav" --method gradient \
  --figure "$work/figure.svg" >"$work/gui.log" 2>&1 || { cat "$work/gui.log"; fail "installed s4scope could not export a figure"; }
title=$(grep -o "for class '[a-z]*'" "$work/figure.svg" | head -1 || true)
echo "s4scope figure: $title"
[ "$title" = "for class 'yes'" ] || fail "installed s4scope did not explain yes.wav as 'yes' (the bundled model not found?)"
cd /

step "dpkg -r, dpkg --purge"
dpkg_retry dpkg -r s4scope >"$work/remove.log" || { cat "$work/remove.log"; fail "dpkg -r failed"; }
dpkg_retry dpkg --purge s4scope >>"$work/remove.log" || { cat "$work/remove.log"; fail "dpkg --purge failed"; }
installed_by_us=0
if dpkg-query -W -f='${Status}' s4scope 2>/dev/null | grep -qv "not-installed"; then
  fail "dpkg still knows s4scope after purge: $(dpkg-query -W -f='${Status}' s4scope)"
fi
left=$(while read -r f; do [ -e "$f" ] && echo "$f"; done <"$work/files" || true)
[ -z "$left" ] || fail "files left after purge: $left"
[ ! -e /usr/share/s4scope ] || fail "/usr/share/s4scope is left after purge"
! grep -q "s4session" /usr/share/mime/globs2 || fail "the MIME database still knows *.s4session after purge"
! grep -q "$app_id\.desktop" "$cache" 2>/dev/null || fail "$cache still names $app_id.desktop after purge"
echo "$(wc -l <"$work/files") files installed and removed"
echo "PASS in ${SECONDS} s"
