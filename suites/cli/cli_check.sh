#!/bin/sh
# cli_check.sh BINDIR SRCDIR: every program and script of the project answers
# --help with its usage on stdout (exit 0) and refuses an unknown flag with a
# message naming it on stderr (exit 2); binance-mock's start-up failures say
# what is wrong. Data-driven: one row per program; a program added to
# build/bin is checked without touching this file.
set -u
bin=$1; src=$2
fail=0; n=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"; [ -n "${hold:-}" ] && kill "$hold" 2>/dev/null' EXIT
check() {   # check NAME RC_WANT STREAM(out|err) NEEDLE CMD...
  name=$1; want=$2; stream=$3; needle=$4; shift 4
  n=$((n + 1))
  timeout "${limit:-20}" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"; rc=$?
  if [ $rc != "$want" ] || { [ -n "$needle" ] && ! grep -qiF -- "$needle" "$tmp/$stream"; }; then
    echo "FAIL $name: rc=$rc (want $want), $stream lacks '$needle':"; sed 's/^/  | /' "$tmp/out" "$tmp/err" | head -8
    fail=$((fail + 1))
  fi
}
for p in "$bin"/*; do
  [ -x "$p" ] && [ -f "$p" ] || continue
  b=$(basename "$p")
  check "$b --help" 0 out usage "$p" --help
  check "$b --bogus-flag" 2 err "bogus-flag" "$p" --bogus-flag
done
for s in serve test bench static image action-start fuzz; do
  [ -f "$src/ci/$s" ] || continue
  check "ci/$s --help" 0 out usage bash "$src/ci/$s" --help
  # ci/serve hands every flag it does not know to binance-mock, after its
  # build: that refusal is binance-mock's, checked above and below
  [ "$s" = serve ] && continue
  check "ci/$s --bogus-flag" 2 err "bogus-flag" bash "$src/ci/$s" --bogus-flag
done
for s in conns soak replay; do   # ci/bench's clients (argparse: usage on --help, exit 2 on a bad command line)
  check "bench/$s.py --help" 0 out usage python3 "$src/bench/$s.py" --help
  check "bench/$s.py --bogus-flag" 2 err "usage" python3 "$src/bench/$s.py" --bogus-flag
done

mock=$bin/binance-mock
check "mock: bad --order-retention-ms" 2 err "bad value '-5' for --order-retention-ms" "$mock" --order-retention-ms -5
check "mock: bad --archive-filled" 2 err "bad value 'maybe' for --archive-filled" "$mock" --archive-filled maybe
check "mock: unknown option" 2 err "unknown option '--bogus'" "$mock" --bogus
# --replay (docs/replay.md): bad values, and start-up errors naming the file and line
check "mock: bad --replay-speed" 2 err "bad value '0' for --replay-speed" "$mock" --replay-speed 0
check "mock: bad --replay-speed decimals" 2 err "bad value '1.2345' for --replay-speed" "$mock" --replay-speed 1.2345
check "mock: bad --replay-fill" 2 err "bad value 'maybe' for --replay-fill" "$mock" --replay-fill maybe
check "mock: bad --replay-max-events" 2 err "bad value '0' for --replay-max-events" "$mock" --replay-max-events 0
check "mock: bad --replay-history-ms" 2 err "bad value '-1' for --replay-history-ms" "$mock" --replay-history-ms -1
check "mock: bad --replay-start-ms" 2 err "bad value 'x' for --replay-start-ms" "$mock" --replay-start-ms x
check "mock: --replay missing dir" 1 err "replay: cannot open directory $tmp/nodir" "$mock" --listen 127.0.0.1:0 --replay "$tmp/nodir"
mkdir -p "$tmp/rp"; printf '1,100,1,100,1735689600000000,True,True\n2,100,x,1,1735689600000000,True,True\n' >"$tmp/rp/BTCUSDT-trades-2025-01-01.csv"
check "mock: --replay bad row" 1 err "replay: $tmp/rp/BTCUSDT-trades-2025-01-01.csv:2: bad quantity" "$mock" --listen 127.0.0.1:0 --replay "$tmp/rp"
check "mock: value missing" 2 err "--seed needs a value" "$mock" --seed
printf '{"symbols":[]}' >"$tmp/empty.json"
check "mock: empty symbols" 1 err '"symbols" is empty' "$mock" --listen 127.0.0.1:0 --symbols "$tmp/empty.json"
check "mock: missing TLS cert" 1 err "cannot use --tls-cert $tmp/nope.pem" "$mock" --listen 127.0.0.1:0 --tls-cert "$tmp/nope.pem" --tls-key "$tmp/nope.pem"
check "mock: TLS cert not PEM" 1 err "cannot use --tls-cert $tmp/empty.json" "$mock" --listen 127.0.0.1:0 --tls-cert "$tmp/empty.json" --tls-key "$tmp/empty.json"
# an address in use: hold a port with a first server, then ask for the same one
"$mock" --listen 127.0.0.1:0 >"$tmp/first" 2>/dev/null & hold=$!
i=0; while [ $i -lt 100 ] && ! grep -q 'listening on' "$tmp/first"; do sleep 0.05; i=$((i + 1)); done
port=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tmp/first")
check "mock: address in use" 1 err "already in use" "$mock" --listen "127.0.0.1:$port"
check "mock: address in use says how" 1 err "--listen 127.0.0.1:0" "$mock" --listen "127.0.0.1:$port"

for b in binance-mock binsig binance-conform; do
  check "$b --version" 0 out "(git " "$bin/$b" --version
done
check "mock: --healthcheck of a live server" 0 out "" "$mock" --healthcheck "http://127.0.0.1:$port/api/v3/ping"
check "mock: --healthcheck of a 404" 1 err "not 200" "$mock" --healthcheck "http://127.0.0.1:$port/nope"
check "mock: --healthcheck, bad URL" 2 err "not an http:// URL" "$mock" --healthcheck "ftp://x"
# Off loopback without a token: one is made and printed; from the environment: used.
"$mock" --listen 0.0.0.0:0 >"$tmp/open" 2>"$tmp/open.err" & open=$!
i=0; while [ $i -lt 100 ] && ! grep -q 'listening on' "$tmp/open"; do sleep 0.05; i=$((i + 1)); done
n=$((n + 1))
if ! grep -q "needs 'Authorization: Bearer [0-9a-f]\{48\}'" "$tmp/open.err"; then
  echo "FAIL mock: no admin token printed when listening off loopback"; cat "$tmp/open.err"; fail=$((fail + 1))
fi
kill $open 2>/dev/null
BINANCE_MOCK_ADMIN_TOKEN=t0k "$mock" --listen 127.0.0.1:0 >"$tmp/env" 2>/dev/null & envp=$!
i=0; while [ $i -lt 100 ] && ! grep -q 'listening on' "$tmp/env"; do sleep 0.05; i=$((i + 1)); done
eport=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\).*/\1/p' "$tmp/env")
n=$((n + 1))
no=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$eport/__admin/clock")
yes=$(curl -s -o /dev/null -w '%{http_code}' -H 'Authorization: Bearer t0k' "http://127.0.0.1:$eport/__admin/clock")
if [ "$no" != 401 ] || [ "$yes" != 200 ]; then
  echo "FAIL mock: BINANCE_MOCK_ADMIN_TOKEN not applied (without: $no, with: $yes)"; fail=$((fail + 1))
fi
kill $envp 2>/dev/null

# ci/action-start (action.yml's start step): exports a live server's URLs.
n=$((n + 1))
if GITHUB_ENV="$tmp/genv" GITHUB_OUTPUT="$tmp/gout" BC_BIN="$bin" BC_PORT=0 BC_LOG="$tmp/alog" \
     bash "$src/ci/action-start" >"$tmp/aout" 2>&1; then
  aurl=$(sed -n 's/^url=//p' "$tmp/gout")
  apid=$(sed -n 's/^BINANCE_MOCK_PID=//p' "$tmp/genv")
  if [ "$(curl -s "$aurl/api/v3/ping")" != "{}" ] || ! grep -q "^BINANCE_MOCK_WS_URL=ws://127.0.0.1:" "$tmp/genv"; then
    echo "FAIL ci/action-start: exported $aurl does not serve, or no WS URL"; fail=$((fail + 1))
  fi
  kill "$apid" 2>/dev/null
else
  echo "FAIL ci/action-start:"; cat "$tmp/aout"; fail=$((fail + 1))
fi

echo "cli: $((n - fail)) passed, $fail failed"
[ $fail = 0 ]
