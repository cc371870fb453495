/**
 * `npm run lint:openapi` (first half): writes the gateway's OpenAPI document to
 * `api-spec/openapi.json` without starting anything, so Redocly and openapi-typescript can read it.
 *
 *   tsx api-spec/write.ts [path]
 */
import { writeFileSync } from 'node:fs';
import { gatewayOpenApi } from '../gateway/openapi/spec.js';

const path = process.argv[2] ?? 'api-spec/openapi.json';
writeFileSync(path, `${JSON.stringify(gatewayOpenApi().document, null, 2)}\n`);
console.log(`[openapi] wrote ${path}`);
