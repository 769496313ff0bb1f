#!/usr/bin/env bash
# ci/common.sh: sourced by the ci/ scripts. Installs missing dependencies
# (Debian packages via apt-get when root, a clear message otherwise; npm
# packages from the lockfiles), and configures + builds into a build dir.
set -euo pipefail
BC_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# What the build needs (ci/serve installs only these) ...
BC_DEBS=(build-essential cmake pkg-config libssl-dev libsodium-dev libcjson-dev
         libcmocka-dev libcivetweb-dev openssl)
# ... and what the suites use besides (ci/test): the OpenAPI check, wrk, and
# Chromium for the console's browser test, curl to fetch the OpenAPI spec.
BC_TEST_DEBS=(python3 python3-yaml python3-jsonschema wrk chromium curl)

bc_log() { printf '== %s\n' "$*" >&2; }

bc_missing_debs() {
  local p missing=()
  for p in "${BC_DEBS[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  echo "${missing[@]:-}"
}

# bc_install_deps [extra debian packages...]
bc_install_deps() {
  local missing
  missing=$(bc_missing_debs "$@")
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages: $missing" >&2
    echo "install them with: sudo apt-get install -y $missing" >&2
    exit 1
  fi
  bc_log "installing $missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

# bc_npm_install DIR: install the pinned packages of DIR/package-lock.json.
bc_npm_install() {
  local dir=$1
  [ -f "$dir/package-lock.json" ] || return 0
  if ! command -v npm >/dev/null; then
    bc_log "npm not found: installing Debian's nodejs and npm"
    bc_install_deps nodejs npm
  fi
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    bc_log "npm ci in ${dir#"$BC_ROOT"/}"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
}

# bc_py_install DIR: the venv DIR/.venv with the pinned, hash-checked
# packages of DIR/requirements.lock (pip install --require-hashes); made once
# and reinstalled only when the lockfile is newer than the venv's stamp.
bc_py_install() {
  local dir=$1
  [ -f "$dir/requirements.lock" ] || return 0
  if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    bc_log "python3 venv/ensurepip missing: installing Debian's python3-venv"
    bc_install_deps python3 python3-venv
  fi
  local stamp="$dir/.venv/.requirements.lock.installed"
  if [ ! -f "$stamp" ] || [ "$dir/requirements.lock" -nt "$stamp" ]; then
    bc_log "pip install -r ${dir#"$BC_ROOT"/}/requirements.lock (venv ${dir#"$BC_ROOT"/}/.venv)"
    rm -rf "$dir/.venv"
    python3 -m venv "$dir/.venv"
    "$dir/.venv/bin/pip" install -q --disable-pip-version-check --no-deps --require-hashes \
      -r "$dir/requirements.lock"
    touch "$stamp"
  fi
}

# bc_go_build DIR: build the Go adapters and flows of DIR (go.mod/go.sum
# pinned) into DIR/.cache/bin, with the module and build caches in
# DIR/.cache (ignored by git): a fresh machine downloads the pinned modules
# from the Go module proxy once. Needs Go >= 1.22 (binance-connector-go's
# go.mod); without it the Go tests are skipped (harness/go/ctest-run.sh) and
# this says why. PATH gets /usr/local/go/bin, where the upstream tarball lives.
bc_go_build() {
  local dir=$1 go
  [ -f "$dir/go.mod" ] || return 0
  go=$(PATH="$PATH:/usr/local/go/bin" command -v go || true)
  if [ -z "$go" ]; then
    echo "SKIPPED: Go SDK adapters (${dir#"$BC_ROOT"/}): no go toolchain (Go >= 1.22 from go.dev/dl; Debian's golang-go is too old)"
    return 0
  fi
  if ! "$go" version | grep -Eq 'go1\.(2[2-9]|[3-9][0-9])'; then
    echo "SKIPPED: Go SDK adapters (${dir#"$BC_ROOT"/}): $("$go" version) is older than go.mod needs (1.22)"
    return 0
  fi
  bc_log "go build ${dir#"$BC_ROOT"/}/cmd/... (module cache ${dir#"$BC_ROOT"/}/.cache)"
  (cd "$dir" && GOMODCACHE="$dir/.cache/mod" GOCACHE="$dir/.cache/build" GOFLAGS=-modcacherw \
     nice -n 10 "$go" build -mod=readonly -o .cache/bin/ ./cmd/...)
}

# bc_build DIR [cmake args...]
bc_build() {
  local dir=$1; shift
  cmake -S "$BC_ROOT" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
  cmake --build "$dir" -j"$(nproc)" 2>&1 | grep -E 'warning:|error:' || true
  # fail if the build failed (grep above only shows diagnostics)
  cmake --build "$dir" -j"$(nproc)" >/dev/null
}

# bc_tls_cert DIR: a self-signed certificate for 127.0.0.1 / localhost / ::1
# in DIR/cert.pem + DIR/key.pem (made once, kept; delete DIR to renew).
bc_tls_cert() {
  local dir=$1
  [ -s "$dir/cert.pem" ] && [ -s "$dir/key.pem" ] && return 0
  mkdir -p "$dir"
  openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=binance-mock local" \
    -addext "subjectAltName=IP:127.0.0.1,DNS:localhost,IP:::1" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null
  bc_log "made a TLS certificate for 127.0.0.1/localhost in ${dir#"$BC_ROOT"/}"
}

# bc_debian_sources DIR PKG...: unpack Debian's source package of each PKG
# (the bookworm release this machine runs) into DIR/PKG, once. Uses a private
# package list under DIR, so the system's apt sources are not changed.
bc_debian_sources() {
  mkdir -p "$1"
  local dir; dir=$(cd "$1" && pwd); shift
  local missing=() p
  for p in "$@"; do [ -d "$dir/$p" ] || missing+=("$p"); done
  [ ${#missing[@]} = 0 ] && return 0
  mkdir -p "$dir/.apt/lists/partial" "$dir/.apt/cache/archives/partial"
  local suite; suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
  echo "deb-src http://deb.debian.org/debian $suite main" >"$dir/.apt/sources.list"
  local opts=(-o "Dir::Etc::SourceList=$dir/.apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
              -o "Dir::State::Lists=$dir/.apt/lists" -o "Dir::Cache=$dir/.apt/cache" -o APT::Sandbox::User=root)
  bc_log "fetching Debian's sources of ${missing[*]}"
  apt-get -qq "${opts[@]}" update
  (cd "$dir" && apt-get -qq "${opts[@]}" source --download-only "${missing[@]}" >/dev/null)
  for p in "${missing[@]}"; do
    local dsc; dsc=$(ls "$dir"/"${p}"_*.dsc | head -1)
    dpkg-source --no-check -x "$dsc" "$dir/$p" >/dev/null
  done
}

# bc_ctest ARGS...: ctest with ARGS; a test skipped for a missing dependency
# (exit 77, ctest SKIP_RETURN_CODE: "***Skipped") fails the run when CI=true,
# since everything a suite needs is installed by ci/test itself. Outside CI
# the skips are listed and tolerated.
bc_ctest() {
  local log rc=0 skipped
  log=$(mktemp)
  ctest "$@" 2>&1 | tee "$log" || rc=$?
  skipped=$(sed -n 's/^[[:space:]]*[0-9]* - \(.*\) (Skipped)$/\1/p' "$log" | tr '\n' ' ')
  rm -f "$log"
  [ "$rc" -eq 0 ] || return "$rc"
  if [ -n "$skipped" ]; then
    if [ "${CI:-}" = true ]; then
      echo "ci: FAIL: skipped for a missing dependency: $skipped(CI=true: ci/test installs every dependency)" >&2
      return 1
    fi
    echo "ci: note: skipped (missing dependency): $skipped" >&2
  fi
}

# bc_openapi_spec: export BC_OPENAPI_SPEC for server_openapi (Binance's
# spot_api.yaml, sha256-pinned in suites/openapi/validate.py). Uses the one
# given, else ../shared/openapi/ beside the checkout, else downloads the
# pinned commit of binance/binance-api-swagger into build/ (checked against
# the sha256). If none can be had the suite is skipped - a failure in CI.
BC_OPENAPI_URL=https://raw.githubusercontent.com/binance/binance-api-swagger/64b327c0addadd191ca0dca8e6b4cebd8a97c05c/spot_api.yaml
BC_OPENAPI_SHA256=0dd2f133e12dac2510cf5db1a4eb5de6e3c30c86b24c08867322030939df5e1c
bc_openapi_spec() {
  local shared=$BC_ROOT/../shared/openapi/spot_api.yaml cache=$BC_ROOT/build/spot_api.yaml
  if [ -n "${BC_OPENAPI_SPEC:-}" ]; then return 0; fi
  if [ -f "$shared" ]; then export BC_OPENAPI_SPEC=$shared; return 0; fi
  if [ ! -f "$cache" ] && command -v curl >/dev/null; then
    mkdir -p "$BC_ROOT/build"
    if curl -sSfL --max-time 60 -o "$cache.tmp" "$BC_OPENAPI_URL" &&
       echo "$BC_OPENAPI_SHA256  $cache.tmp" | sha256sum -c --status; then
      mv "$cache.tmp" "$cache"
    else
      rm -f "$cache.tmp"; echo "ci: cannot fetch the OpenAPI spec from $BC_OPENAPI_URL" >&2
    fi
  fi
  if [ -f "$cache" ]; then export BC_OPENAPI_SPEC=$cache; fi
  return 0
}
