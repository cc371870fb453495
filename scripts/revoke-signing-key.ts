/**
 * `npm run keys:revoke -- <kid> --reason "<why>"`: withdraws a response-signing key that may be
 * compromised. It leaves the published key set at once (an active key is replaced by a new one
 * first) and is recorded as revoked in the key file, so it is never published again. The gateways
 * follow the file: within seconds they stop publishing it, and one of them writes the audit entry
 * `signing-key.revoked` and tells the national permits portal (`signing-key-revoked`).
 */
import { parseArgs } from 'node:util';
import { createSigningKeyStore } from '../platform/signing-keys.js';
import { signingKeysFile } from './signing-keys-file.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { reason: { type: 'string' } } });
const [kid] = positionals;
if (!kid || !values.reason?.trim()) {
  console.error('usage: npm run keys:revoke -- <kid> --reason "<why>" (the kids are in GET /.well-known/jwks.json)');
  process.exit(2);
}
const path = signingKeysFile();
const store = await createSigningKeyStore({ path });
const record = await store.revoke(kid, values.reason);
console.log(`revoked ${record.kid} in ${path} at ${record.revokedAt}; active ${store.active().kid}; the JWKS now lists ${store.jwks().keys.length} keys`);
