/**
 * `npm run keys:rotate`: makes a new response-signing key active and keeps the old one in the
 * JWKS as retired, so signatures already given out still verify. It acts on the key file the
 * gateways and workers use: `SIGNING_KEYS_PATH` when set (as it is for them), else the embedded
 * default's `$PARVANEH_DATA_DIR/response-signing-keys.json`. They follow the file and sign with
 * the new key within seconds, with no restart.
 */
import { signingKeysFile } from './signing-keys-file.js';
import { createSigningKeyStore } from '../platform/signing-keys.js';

const path = signingKeysFile();
const store = await createSigningKeyStore({ path });
const before = store.active().kid;
const after = await store.rotate();
console.log(`rotated ${path}: active ${after.kid}, retired ${before}; the JWKS now lists ${store.jwks().keys.length} keys`);
