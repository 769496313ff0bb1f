#!/bin/sh
# harness/go/ctest-run.sh CMD...: run CMD for a ctest test of the Go SDKs, or
# exit 77 (ctest SKIP_RETURN_CODE, shown as "Skipped") with the reason when
# the Go build is absent: ci/test builds the adapters and flows into
# harness/go/.cache/bin (module and build caches in harness/go/.cache, see
# ci/common.sh bc_go_build). Checked when the test runs, not when cmake
# configures, so building them later needs no re-configure.
here=$(cd "$(dirname "$0")" && pwd)
for b in adapter-go-binance adapter-connector-go flow-go-binance flow-connector-go; do
  if [ ! -x "$here/.cache/bin/$b" ]; then
    echo "SKIP: $here/.cache/bin/$b missing (ci/test builds it: go build -o .cache/bin/ ./cmd/... in harness/go)"
    exit 77
  fi
done
exec "$@"
