#!/usr/bin/env bash
# The man pages keep up with the programs: every command and every long option that `s4scope --help`,
# `s4scope-cli --help` and each `s4scope-cli COMMAND --help` print is documented in
# packaging/man/s4scope.1 and s4scope-cli.1, and both pages format without warnings.
# usage: test_man_pages.sh SOURCE_DIR S4SCOPE S4SCOPE_CLI   (S4SCOPE may be "-" when the GUI is not built)
set -uo pipefail
src=$1 gui=$2 cli=$3
man_dir=$src/packaging/man
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

page_text() { sed 's/\\-/-/g; s/\\f[BIRP]//g' "$man_dir/$1"; }  # troff source without escapes

options_in() { grep -oE -- '--[a-z][a-z0-9-]+' | sort -u | grep -vxE -- '--(help|version)'; }

check_options() {  # PAGE, help text on stdin
  local page=$1 text option
  text=$(page_text "$page")
  for option in $(options_in); do
    grep -qF -- "$option" <<<"$text" || fail "$page does not document $option"
  done
}

check_formats() {
  local page=$1 warnings
  if ! command -v groff >/dev/null; then echo "groff not found: formatting not checked"; return; fi
  warnings=$(groff -man -Tutf8 -ww -z "$man_dir/$page" 2>&1)
  [ -z "$warnings" ] || fail "$page formats with warnings: $warnings"
}

if [ "$gui" != "-" ]; then
  QT_QPA_PLATFORM=offscreen "$gui" --help | check_options s4scope.1
  check_formats s4scope.1
fi

# s4scope-cli: the top-level help, then each command's (a command list follows "commands:" or
# "SUBCOMMANDS:" in the help, one indented name a line).
help=$("$cli" --help 2>&1; "$cli" help 2>&1)
commands=$(awk 'tolower($0) ~ /^(sub)?commands:/ {list = 1; next} list && /^  [a-z]/ {print $1} list && /^[^ ]/ {list = 0}' <<<"$help" | sort -u | grep -vx help)
[ -n "$commands" ] || fail "found no commands in s4scope-cli's help"
text=$(page_text s4scope-cli.1)
for command in $commands; do
  grep -qE "^\.SS $command\$" <<<"$text" || fail "s4scope-cli.1 has no section for the command '$command'"
  help+=$'\n'$("$cli" "$command" --help 2>&1)
done
check_options s4scope-cli.1 <<<"$help"
check_formats s4scope-cli.1

echo "commands checked: $(echo $commands)"
[ "$failures" -eq 0 ] && echo "PASS" || exit 1
