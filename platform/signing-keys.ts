/**
 * The gateway's response-signing keys: one active ES256 key that signs, and a few retired keys
 * that no longer sign but stay in the published key set so signatures made before a rotation
 * still verify. Keys are `node:crypto` key objects (the fast signing path); their `kid` is the
 * RFC 7638 thumbprint. With a `path` the keys survive a restart (private JWKs, mode 0600), and
 * every process that opens the same file follows it: a rotation or a revocation made by another
 * process (`npm run keys:rotate`, `npm run keys:revoke`) is taken up by `refresh()`, which the
 * gateway and the worker call every few seconds, with no restart.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { calculateJwkThumbprint, type JSONWebKeySet, type JWK } from 'jose';

/** A key ready to sign: its thumbprint `kid`, the private key, and the public JWK the JWKS publishes. */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicJwk: JWK & { kid: string; alg: 'ES256'; use: 'sig' };
}

/** How a key is kept on disk (and how `initial` keys are given): the private JWK and its state. */
export interface StoredSigningKey {
  /** A private P-256 JWK (`kty`, `crv`, `x`, `y`, `d`); a `kid` in it is ignored and recomputed. */
  jwk: JWK;
  status: 'active' | 'retired';
  createdAt?: string;
  retiredAt?: string;
}

export interface SigningKeyStoreOptions {
  /** Keys to start from when there is no file at `path` (or no `path`); at most one is active. */
  initial?: StoredSigningKey[];
  /** A JSON file to keep the keys in; it is read when present and rewritten on every change. */
  path?: string;
  /** How many retired keys stay published after a rotation; default 3. */
  maxRetired?: number;
}

export interface SigningKeyStore {
  /** The key that signs now. */
  active(): SigningKey;
  /** The public keys to verify with: the active key first, then the retired ones, newest first. */
  jwks(): JSONWebKeySet;
  /** Makes a new active key, retires the current one and drops the oldest retired keys beyond the limit. */
  rotate(): Promise<SigningKey>;
  /**
   * Revokes a compromised key: it leaves the published key set at once and is recorded as revoked
   * (never published again). The active key is replaced by a new one first. Returns the record.
   */
  revoke(kid: string, reason: string): Promise<RevokedKey>;
  /** The keys revoked so far, newest first. */
  revoked(): RevokedKey[];
  /** Reads the file again when another process has changed it; true when it had. */
  refresh(): Promise<boolean>;
}

/** A key withdrawn because it may be compromised: what the portal is told. */
export interface RevokedKey { kid: string; revokedAt: string; reason: string }

interface Entry {
  key: SigningKey;
  createdAt: string;
  retiredAt?: string;
}

interface KeyFile {
  version: 1;
  keys: StoredSigningKey[];
  /** Keys withdrawn, by thumbprint: never published or loaded again. */
  revoked?: RevokedKey[];
}

/**
 * Opens the key store: reads `path` when it exists, otherwise starts from `initial` (generating an
 * active key when none is given) and writes `path` if set. Async because the thumbprint is.
 */
export async function createSigningKeyStore(opts: SigningKeyStoreOptions = {}): Promise<SigningKeyStore> {
  const { path, maxRetired = 3 } = opts;
  if (!Number.isInteger(maxRetired) || maxRetired < 0) throw new RangeError(`maxRetired must be a non-negative integer, not ${maxRetired}`);

  const file = path && existsSync(path) ? readKeyFile(path) : { version: 1 as const, keys: opts.initial ?? [] };
  let { active, retired } = await entriesOf(file, maxRetired, path);
  let revoked: RevokedKey[] = file.revoked ?? [];
  let seen = path && existsSync(path) ? modifiedAt(path) : undefined;
  const hadActive = file.keys.some((k) => k.status === 'active');
  if (path && (!existsSync(path) || !hadActive)) seen = writeKeyFile(path, active, retired, revoked);

  // Changes are made one at a time, each on the file as it is now (another process may have changed it).
  let changing: Promise<unknown> = Promise.resolve();
  const change = <T>(make: () => Promise<T>): Promise<T> => {
    const next = changing.then(async () => {
      await refresh();
      return make();
    });
    changing = next.catch(() => undefined);
    return next;
  };

  async function refresh(): Promise<boolean> {
    if (!path || !existsSync(path)) return false;
    const at = modifiedAt(path);
    if (at === seen) return false;
    const now = readKeyFile(path);
    ({ active, retired } = await entriesOf(now, maxRetired, path));
    revoked = now.revoked ?? [];
    seen = at;
    return true;
  }

  return {
    active: () => active.key,
    jwks: () => ({ keys: [active, ...retired].map((e) => ({ ...e.key.publicJwk })) }),
    revoked: () => [...revoked],
    refresh,
    rotate: () => change(async () => {
      const now = new Date().toISOString();
      const nextActive: Entry = { key: await generateKey(), createdAt: now };
      const nextRetired = [{ ...active, retiredAt: now }, ...retired].slice(0, maxRetired);
      // Persist first: if the write fails, memory still matches the file.
      if (path) seen = writeKeyFile(path, nextActive, nextRetired, revoked);
      active = nextActive;
      retired = nextRetired;
      return active.key;
    }),
    revoke: (kid, reason) => change(async () => {
      if (!reason.trim()) throw new Error('a revocation needs its reason');
      const known = [active, ...retired].some((e) => e.key.kid === kid);
      if (!known) throw new Error(`no published signing key has the kid ${kid}`);
      const now = new Date().toISOString();
      const record: RevokedKey = { kid, revokedAt: now, reason: reason.trim() };
      const nextActive = active.key.kid === kid ? { key: await generateKey(), createdAt: now } : active;
      const nextRetired = retired.filter((e) => e.key.kid !== kid);
      const nextRevoked = [record, ...revoked];
      if (path) seen = writeKeyFile(path, nextActive, nextRetired, nextRevoked);
      active = nextActive;
      retired = nextRetired;
      revoked = nextRevoked;
      return record;
    }),
  };
}

/** The active and retired keys of a file's contents, a revoked one never among them. */
async function entriesOf(file: KeyFile, maxRetired: number, path?: string): Promise<{ active: Entry; retired: Entry[] }> {
  const revoked = new Set((file.revoked ?? []).map((r) => r.kid));
  const stored = file.keys;
  const actives = stored.filter((s) => s.status === 'active');
  if (actives.length > 1) throw new Error(`signing keys${path ? ` in ${path}` : ''}: ${actives.length} keys are active, expected at most one`);
  const now = new Date().toISOString();
  const active: Entry = actives[0]
    ? { key: await keyFromJwk(actives[0].jwk), createdAt: actives[0].createdAt ?? now }
    : { key: await generateKey(), createdAt: now };
  if (revoked.has(active.key.kid)) throw new Error(`signing keys${path ? ` in ${path}` : ''}: the active key ${active.key.kid} is revoked`);
  const retired = (await Promise.all(stored.filter((s) => s.status === 'retired').map(async (s) => ({
    key: await keyFromJwk(s.jwk), createdAt: s.createdAt ?? now, retiredAt: s.retiredAt ?? now,
  })))).filter((e) => !revoked.has(e.key.kid));
  return { active, retired: retired.sort((a, b) => (b.retiredAt ?? '').localeCompare(a.retiredAt ?? '')).slice(0, maxRetired) };
}

const modifiedAt = (path: string) => statSync(path).mtimeMs;

async function generateKey(): Promise<SigningKey> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return signingKey(privateKey);
}

async function keyFromJwk(jwk: JWK): Promise<SigningKey> {
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.d || !jwk.x || !jwk.y) {
    throw new Error('a signing key must be a private P-256 EC JWK (kty EC, crv P-256, x, y, d)');
  }
  const { kty, crv, x, y, d } = jwk;
  return signingKey(createPrivateKey({ key: { kty, crv, x, y, d }, format: 'jwk' }));
}

async function signingKey(privateKey: KeyObject): Promise<SigningKey> {
  const { kty, crv, x, y } = createPublicKey(privateKey).export({ format: 'jwk' });
  const kid = await calculateJwkThumbprint({ kty, crv, x, y }, 'sha256');
  return { kid, privateKey, publicJwk: { kty, crv, x, y, kid, alg: 'ES256', use: 'sig' } };
}

function readKeyFile(path: string): KeyFile {
  let file: KeyFile;
  try {
    file = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`signing keys in ${path} cannot be read: ${(error as Error).message}`);
  }
  if (file?.version !== 1 || !Array.isArray(file.keys)) throw new Error(`signing keys in ${path}: expected { version: 1, keys: [...] }`);
  return file;
}

/**
 * Writes the whole key file through a temporary file and a rename, so a crash never leaves half a
 * file; gives its modification time, so the writer does not read back its own change.
 */
function writeKeyFile(path: string, active: Entry, retired: Entry[], revoked: RevokedKey[]): number {
  const stored = (e: Entry, status: StoredSigningKey['status']) => ({
    jwk: { ...(e.key.privateKey.export({ format: 'jwk' }) as JWK), kid: e.key.kid, alg: 'ES256' },
    status, createdAt: e.createdAt, ...(e.retiredAt ? { retiredAt: e.retiredAt } : {}),
  });
  const file: KeyFile = { version: 1, keys: [stored(active, 'active'), ...retired.map((e) => stored(e, 'retired'))], ...(revoked.length ? { revoked } : {}) };
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
  return modifiedAt(path);
}
