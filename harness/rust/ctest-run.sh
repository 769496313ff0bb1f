#!/bin/sh
# harness/rust/ctest-run.sh BIN CMD...: run CMD for a ctest test of the Rust
# SDK, or exit 77 (ctest SKIP_RETURN_CODE, shown as "Skipped") with the reason
# when BIN (built by ci/test: cargo build --locked --profile harness in
# harness/rust) is missing. Checked when the test runs, not when cmake
# configures, so building it later needs no re-configure.
bin=$1; shift
if [ ! -x "$bin" ]; then
  here=$(cd "$(dirname "$0")" && pwd)
  echo "SKIP: $bin not built (ci/test builds it: cd $here && CARGO_HOME=.cargo cargo build --locked --profile harness)"
  exit 77
fi
exec "$@"
