#!/usr/bin/env bash
# `npm test`: installs what is missing, then lint, types, definitions, the committed generated
# files, and every vitest test. Vitest's global setup starts the embedded PostgreSQL that
# `npm start` runs (or uses the server DATABASE_URL names).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --browser --cluster
export PARVANEH_TEMPORAL_BIN="$PWD/.tools/bin"

echo "== lint and types"
npx eslint .
npx tsc --noEmit -p .
npx tsc --noEmit -p console/app
echo "== the OpenAPI document (Redocly)"
npm run -s lint:openapi
echo "== licence process definitions"
npx tsx dsl/cli/validate.ts
echo "== the law: every rule of the sources cited, carried out and tested (docs/rules.md current)"
npx tsx dsl/cli/rules.ts --check
echo "== tests"
npx vitest run "$@"
# A traced worker bundles the workflow code with tracing's interceptors: it too must replay every
# release's histories (the full run only).
if [[ $# -eq 0 ]]; then
  echo "== the release histories, replayed with tracing on"
  npx vitest run --config test/support/vitest-tracing.config.ts test/replay-releases.test.ts
fi
