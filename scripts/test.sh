#!/usr/bin/env bash
# `npm test`: installs what is missing, starts a real PostgreSQL (unless DATABASE_URL is set),
# then lint, types, definitions, the committed generated files, and every vitest test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --postgres

if [[ -z "${DATABASE_URL:-}" ]]; then
  DATABASE_URL="$(bash scripts/pg.sh start)"
  export DATABASE_URL
  trap 'bash scripts/pg.sh stop' EXIT
fi
export PARVANEH_TEMPORAL_BIN="$PWD/.tools/bin"

echo "== lint and types"
npx eslint .
npx tsc --noEmit -p .
echo "== the OpenAPI document (Redocly)"
npm run -s lint:openapi
echo "== licence process definitions"
npx tsx dsl/cli/validate.ts
echo "== tests"
npx vitest run "$@"
