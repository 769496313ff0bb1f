#!/bin/sh
# json_entry_check.sh SRCDIR: every JSON text the project parses goes through
# lib/json_guard (nesting bounded before cJSON's recursive parser runs on a
# worker stack, issue 8). A direct cJSON_Parse* call anywhere else in the
# product or the harness fails this test, with the file and line; the only
# exceptions are listed here with the reason.
set -u
src=$1
allowed='lib/json_guard.c
vectors/tests/openssl_crosscheck.c'   # reads the committed vector files only
hits=$(cd "$src" && grep -rn 'cJSON_Parse' --include='*.c' lib mock_server harness vectors 2>/dev/null \
       | grep -v -F "$allowed" || true)
if [ -n "$hits" ]; then
  echo "JSON parsed around lib/json_guard (use json_guard_parse*):"; echo "$hits"
  echo "json-guard: 0 passed, 1 failed"; exit 1
fi
echo "json-guard: 1 passed, 0 failed (every cJSON_Parse goes through lib/json_guard)"
