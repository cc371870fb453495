/** The response-signing key file the running gateways and workers use, for the key commands. */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export function signingKeysFile(): string {
  const path = process.env.SIGNING_KEYS_PATH || join(resolve(process.env.PARVANEH_DATA_DIR ?? '.data'), 'response-signing-keys.json');
  // A key command never makes a new key file: a wrong path would be "rotated" while the gateways sign on.
  if (!existsSync(path)) throw new Error(`no signing key file at ${path}: set SIGNING_KEYS_PATH to the file the gateways use`);
  return path;
}
