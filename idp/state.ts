/**
 * What the embedded OpenID provider keeps across restarts, in one file (mode 0600): its signing
 * key, its cookie keys, the console client's secret and the accounts' passwords. Kept, a restart
 * leaves the console's sessions (their tokens verify with the same key) and the printed logins valid.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { DEV_OFFICES, newPassword } from './accounts.js';

export interface IdpState {
  /** The ES256 private key that signs ID tokens and access tokens. */
  signingKey: JWK;
  /** Keys the provider's cookies are signed with (newest first). */
  cookieKeys: string[];
  clientSecret: string;
  /** Username → password. */
  passwords: Record<string, string>;
}

async function freshState(): Promise<IdpState> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return {
    signingKey: { ...(await exportJWK(privateKey)), kid: `idp-${Date.now().toString(36)}`, alg: 'ES256', use: 'sig' },
    cookieKeys: [randomBytes(32).toString('base64url')],
    clientSecret: randomBytes(32).toString('base64url'),
    passwords: Object.fromEntries(DEV_OFFICES.map((office) => [office.username, newPassword()])),
  };
}

/** Reads the state file, creating it (mode 0600) on first use; an account added since gets a password too. */
export async function loadIdpState(path: string): Promise<IdpState> {
  let state: IdpState;
  let changed = false;
  if (existsSync(path)) state = JSON.parse(readFileSync(path, 'utf8')) as IdpState;
  else {
    state = await freshState();
    changed = true;
  }
  for (const office of DEV_OFFICES) {
    if (!state.passwords[office.username]) {
      state.passwords[office.username] = newPassword();
      changed = true;
    }
  }
  if (changed) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, JSON.stringify(state, null, 2), { mode: 0o600 });
  }
  // A file copied in with looser permissions is tightened: it holds keys and passwords.
  chmodSync(path, 0o600);
  return state;
}
