#!/bin/sh
# harness/python/ctest-run.sh CMD...: run CMD for a ctest test of the Python
# SDKs, or exit 77 (ctest SKIP_RETURN_CODE, shown as "Skipped") with the reason
# when the venv (harness/python/.venv, made by ci/test from requirements.lock)
# is missing or lacks a library. The venv is checked when the test runs, not
# when cmake configures, so installing it later needs no re-configure.
here=$(cd "$(dirname "$0")" && pwd)
py="$here/.venv/bin/python"
if [ ! -x "$py" ]; then
  echo "SKIP: $here/.venv missing (ci/test makes it: python3 -m venv + pip install --require-hashes -r requirements.lock)"
  exit 77
fi
if ! "$py" -c 'import binance.client, binance.spot, binance_sdk_spot.spot, ccxt' 2>/dev/null; then
  echo "SKIP: $here/.venv lacks a pinned library (rerun ci/test or pip install --require-hashes -r requirements.lock)"
  exit 77
fi
exec "$@"
