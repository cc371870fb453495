/**
 * `npm run keys:rotate`: makes a new response-signing key active and keeps the old one in the
 * JWKS as retired, so signatures already given out still verify. Restart the gateway to sign
 * with the new key.
 */
import { join, resolve } from 'node:path';
import { createSigningKeyStore } from '../platform/signing-keys.js';

const path = join(resolve(process.env.PARVANEH_DATA_DIR ?? '.data'), 'response-signing-keys.json');
const store = await createSigningKeyStore({ path });
const before = store.active().kid;
const after = await store.rotate();
console.log(`rotated ${path}: active ${after.kid}, retired ${before}; the JWKS now lists ${store.jwks().keys.length} keys`);
