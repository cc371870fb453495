/**
 * An identity provider's signing keys, fetched over HTTP: from a JWKS URL, or found by OpenID
 * Connect discovery (`GET {issuer}/.well-known/openid-configuration` → `jwks_uri`, its `issuer`
 * equal to ours). The set is reloaded every `refreshSeconds` (and at once, at most every
 * `retrySeconds`, for an unknown `kid`). While it cannot be reloaded, the last good set keeps
 * verifying until it is `maxStaleSeconds` old, counted on /metrics; after that every token of
 * that issuer is refused until the provider answers again.
 */
import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { Counter, Gauge, type Registry } from 'prom-client';

export interface RemoteKeysOptions {
  issuer: string;
  /** The JWKS URL; without it the issuer's discovery document names it. */
  jwksUrl?: string;
  /** How old a loaded set may grow before it is reloaded (default 600 s). */
  refreshSeconds?: number;
  /** How old the last good set may grow while reloads fail, still verifying (default 3600 s). */
  maxStaleSeconds?: number;
  /** Shortest time between two reload attempts (default 30 s). */
  retrySeconds?: number;
  /** Timeout of one HTTP call to the provider (default 5 s). */
  timeoutMs?: number;
  metrics?: Registry;
  fetch?: typeof fetch;
  now?: () => number;
}

/** `https://`, or `http://` to this machine only (a provider on loopback: development and tests). */
export function assertSecureUrl(url: string, what: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${what} is not a URL: ${url}`);
  }
  const loopback = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i.test(parsed.hostname);
  if (parsed.protocol === 'https:' || (parsed.protocol === 'http:' && loopback)) return parsed;
  throw new Error(`${what} must be an https:// URL (plain http:// only on loopback), not ${url}`);
}

/** The issuer keys' instruments: reload failures, verifications on a stale set, and the set's age. */
function instruments(registry: Registry | undefined) {
  if (!registry) return undefined;
  const existing = registry.getSingleMetric('parvaneh_auth_keys_reload_failures_total');
  if (existing) {
    return {
      failures: existing as Counter<'issuer'>,
      stale: registry.getSingleMetric('parvaneh_auth_keys_stale_uses_total') as Counter<'issuer'>,
      age: registry.getSingleMetric('parvaneh_auth_keys_age_seconds') as Gauge<'issuer'>,
    };
  }
  return {
    failures: new Counter({ name: 'parvaneh_auth_keys_reload_failures_total', help: 'Failed reloads of an identity provider\'s key set, by issuer', labelNames: ['issuer'], registers: [registry] }),
    stale: new Counter({ name: 'parvaneh_auth_keys_stale_uses_total', help: 'Tokens verified with a key set that could not be reloaded in time, by issuer', labelNames: ['issuer'], registers: [registry] }),
    age: new Gauge({ name: 'parvaneh_auth_keys_age_seconds', help: 'Age of the key set in use, by issuer', labelNames: ['issuer'], registers: [registry] }),
  };
}

/** A key lookup over a provider's remote key set, with discovery and a bounded stale fallback. */
export function remoteIssuerKeys(options: RemoteKeysOptions): JWTVerifyGetKey {
  const { issuer } = options;
  const refreshMs = (options.refreshSeconds ?? 600) * 1000;
  const maxStaleMs = (options.maxStaleSeconds ?? 3600) * 1000;
  const retryMs = (options.retrySeconds ?? 30) * 1000;
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const metrics = instruments(options.metrics);
  if (options.jwksUrl) assertSecureUrl(options.jwksUrl, `the JWKS URL of ${issuer}`);
  else assertSecureUrl(issuer, 'an issuer found by discovery');

  let current: { getKey: JWTVerifyGetKey; loadedAt: number } | undefined;
  let jwksUrl = options.jwksUrl;
  let lastAttempt = Number.NEGATIVE_INFINITY;
  let loading: Promise<boolean> | undefined;

  const getJson = async (url: string): Promise<unknown> => {
    const res = await doFetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(options.timeoutMs ?? 5000) });
    if (!res.ok) throw new Error(`${url} answered ${res.status}`);
    return res.json();
  };

  async function discover(): Promise<string> {
    const document = await getJson(`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`) as { issuer?: unknown; jwks_uri?: unknown };
    if (document.issuer !== issuer) throw new Error(`the discovery document of ${issuer} names another issuer`);
    if (typeof document.jwks_uri !== 'string') throw new Error(`the discovery document of ${issuer} has no jwks_uri`);
    return assertSecureUrl(document.jwks_uri, `the jwks_uri of ${issuer}`).href;
  }

  async function load(): Promise<boolean> {
    lastAttempt = now();
    try {
      const url = jwksUrl ?? await discover();
      const jwks = await getJson(url) as JSONWebKeySet;
      if (!Array.isArray(jwks?.keys)) throw new Error(`${url} is not a JWKS`);
      current = { getKey: createLocalJWKSet(jwks), loadedAt: now() };
      jwksUrl = url;
      return true;
    } catch {
      // Found again next time: the provider may have moved its keys.
      if (!options.jwksUrl) jwksUrl = undefined;
      metrics?.failures.inc({ issuer });
      return false;
    }
  }

  /** One reload at a time, and none sooner than `retryMs` after the last. */
  function reload(): Promise<boolean> {
    if (now() - lastAttempt < retryMs) return loading ?? Promise.resolve(false);
    loading ??= load().finally(() => { loading = undefined; });
    return loading;
  }

  return async function issuerKey(header, token) {
    if (!current || now() - current.loadedAt > refreshMs) await reload();
    if (!current) throw new errors.JWKSInvalid(`the keys of ${issuer} cannot be loaded`);
    const age = now() - current.loadedAt;
    metrics?.age.set({ issuer }, Math.round(age / 1000));
    if (age > maxStaleMs) throw new errors.JWKSInvalid(`the keys of ${issuer} could not be reloaded for longer than allowed`);
    if (age > refreshMs) metrics?.stale.inc({ issuer });
    try {
      return await current.getKey(header, token);
    } catch (error) {
      // A kid we do not know may be a key the provider just rotated in.
      if (error instanceof errors.JWKSNoMatchingKey && await reload()) return current.getKey(header, token);
      throw error;
    }
  };
}
