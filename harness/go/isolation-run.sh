#!/bin/sh
# harness/go/isolation-run.sh CONFORM ADAPTER MOCK CASES_DIR: the isolation
# gate of go-binance's WS API wiring (ctest go_isolation_go-binance). The
# library's WS API client redials at once after the server's between-case
# reset, before the next configure could close it; the adapter refuses those
# redials (internal/gobinance/wsapi.go). One case of the shipped set ends a
# run, so this runs 12 renamed copies of ws.userdata.fill-events-signature
# (order.place + user data) back to back: a surviving redial fails the next
# copy with "isolation: ... still open after the server reset".
set -e
conform=$1 adapter=$2 mock=$3 cases=$4
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
i=10
while [ $i -lt 22 ]; do
  sed "s/\"id\": *\"ws.userdata.fill-events-signature\"/\"id\": \"go.isolation.$i\"/" \
    "$cases/ws.userdata.fill-events-signature.json" > "$dir/go.isolation.$i.json"
  i=$((i + 1))
done
exec "$conform" --adapter "$adapter" --cases-dir "$dir" --mock "$mock" --report "$dir/report"
