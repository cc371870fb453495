/**
 * Per-client rate limits: a fixed window per client, counted in a store every gateway replica
 * shares (PostgreSQL, `rate_limit_counters`; in memory for a lone process or a test). The client
 * is the authenticated issuer and subject, or the client's address: the socket's, or the one
 * `X-Forwarded-For` names when the socket is a trusted proxy's (`trustedProxies`). Every
 * response carries the IETF draft headers (draft-ietf-httpapi-ratelimit-headers):
 *
 *   RateLimit-Policy: "default";q=600;w=60
 *   RateLimit: "default";r=599;t=60
 *
 * Over the limit the answer is a 429 problem+json `rate-limited` with `Retry-After`. Mount it after
 * `authenticate`, so callers are told apart by who they are, and before `idempotency`, so a
 * refused request claims no key; mount another (by address, with `skip`) before everything for
 * what is served without a token (`/ready`, `/metrics`, registry callbacks), and
 * `limitFailedAuthentication` before `authenticate`. If the store fails, the request goes on
 * (`onStoreError`): a limiter that took the gateway down with the database would be worse.
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import { eq, lt, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Context, MiddlewareHandler } from 'hono';
import type { Database } from '../../db/client.js';
import { runPrepared } from '../../db/query.js';
import { rateLimitCounters } from '../../db/schema/index.js';
import type { Actor, Role } from '../../services/context.js';
import { bearerToken } from '../auth.js';
import { problemType, type Problem } from '../problem.js';

/** A client's window: when it began (ms) and the requests counted in it. */
export interface RateWindow { start: number; count: number }

/** Where counters are kept: shared by every replica (PostgreSQL), or one process's memory. */
export interface RateLimitStore {
  /** Counts `by` requests (one unless told) of `bucket` at `at`; a window older than `windowMs` is replaced by a new one. */
  hit(bucket: string, at: number, windowMs: number, by?: number): Promise<RateWindow>;
  /** The bucket's current window without counting (count 0 when it has none). */
  peek(bucket: string, at: number, windowMs: number): Promise<RateWindow>;
  /** `hit` of one bucket and `peek` of another, at once (PostgreSQL: one statement, one round trip). */
  hitAndPeek(bucket: string, at: number, windowMs: number, peekBucket: string, peekWindowMs: number, by?: number): Promise<{ hit: RateWindow; peeked: RateWindow }>;
}

/** Counters in this process's memory (a lone gateway, a test): not shared between replicas. */
export function memoryRateLimitStore(): RateLimitStore {
  const windows = new Map<string, RateWindow>();
  let lastSweep = 0;
  const current = (bucket: string, at: number, windowMs: number) => {
    if (at - lastSweep >= windowMs) {
      for (const [key, w] of windows) if (at - w.start >= windowMs) windows.delete(key);
      lastSweep = at;
    }
    const w = windows.get(bucket);
    return w && at - w.start < windowMs ? w : undefined;
  };
  return {
    async hit(bucket, at, windowMs, by = 1) {
      const w = current(bucket, at, windowMs) ?? { start: at, count: 0 };
      w.count += by;
      windows.set(bucket, w);
      return { ...w };
    },
    async peek(bucket, at, windowMs) {
      return { ...(current(bucket, at, windowMs) ?? { start: at, count: 0 }) };
    },
    async hitAndPeek(bucket, at, windowMs, peekBucket, peekWindowMs, by = 1) {
      const peeked = await this.peek(peekBucket, at, peekWindowMs);
      return { hit: await this.hit(bucket, at, windowMs, by), peeked };
    },
  };
}

/**
 * Counters in PostgreSQL, shared by every gateway replica: one upsert per request (or per batch of
 * them, `batchShare`), atomic under concurrent replicas (the row is locked by ON CONFLICT DO
 * UPDATE). Windows that have passed are deleted now and then (at most once a window per process).
 */
export function postgresRateLimitStore(db: Database): RateLimitStore {
  let lastSweep = 0;
  const sweep = async (at: number, windowMs: number) => {
    if (at - lastSweep < windowMs) return;
    lastSweep = at;
    await db.delete(rateLimitCounters).where(lt(rateLimitCounters.windowStart, new Date(at - windowMs)));
  };
  // Built once, on first use, and prepared (this runs twice on every /v1 request): PostgreSQL
  // neither parses nor plans them again, and Drizzle builds no SQL per request.
  let prepared: ReturnType<typeof counterStatements> | undefined;
  const statements = () => (prepared ??= counterStatements(db));
  return {
    async hit(name, at, windowMs, by = 1) {
      await sweep(at, windowMs);
      const [row] = await runPrepared(statements().hit, { bucket: name, windowStart: new Date(at), window: `${windowMs} milliseconds`, by });
      return { start: row!.start.getTime(), count: row!.count };
    },
    async peek(name, at, windowMs) {
      const [row] = await runPrepared(statements().peek, { bucket: name });
      return windowOf(row && { start: row.windowStart, count: row.count }, at, windowMs);
    },
    async hitAndPeek(name, at, windowMs, peekName, peekWindowMs, by = 1) {
      await sweep(at, windowMs);
      const [row] = await runPrepared(statements().hitAndPeek, { bucket: name, windowStart: new Date(at), window: `${windowMs} milliseconds`, peekBucket: peekName, by });
      return {
        hit: { start: row!.start.getTime(), count: row!.count },
        peeked: windowOf(row!.peekedStart ? { start: row!.peekedStart, count: row!.peekedCount! } : undefined, at, peekWindowMs),
      };
    },
  };
}

/** A window read from the table: the one it holds if it has not passed, else an empty one starting now. */
function windowOf(row: { start: Date; count: number } | undefined, at: number, windowMs: number): RateWindow {
  return row && at - row.start.getTime() < windowMs ? { start: row.start.getTime(), count: row.count } : { start: at, count: 0 };
}

/** The counter's upsert and look-up, with placeholders for the bucket, the window's start, its length and the requests added. */
function counterStatements(db: Database) {
  const bucket = sql.placeholder('bucket');
  const by = sql`${sql.placeholder('by')}::integer`;
  // `excluded` is the row this request would have inserted: its window starts now.
  const passed = sql`excluded.window_start - ${rateLimitCounters.windowStart} >= ${sql.placeholder('window')}::interval`;
  const upsert = () => db.insert(rateLimitCounters).values({ bucket, windowStart: sql.placeholder('windowStart'), count: by })
    .onConflictDoUpdate({
      target: rateLimitCounters.bucket,
      set: {
        windowStart: sql`case when ${passed} then excluded.window_start else ${rateLimitCounters.windowStart} end`,
        count: sql`case when ${passed} then excluded.count else ${rateLimitCounters.count} + excluded.count end`,
      },
    })
    .returning({ start: rateLimitCounters.windowStart, count: rateLimitCounters.count });
  // The upsert as a common table expression, and the other bucket's row beside what it returns
  // (read as it was when the statement began: another bucket, so no matter).
  const hit = db.$with('hit').as(upsert());
  const peeked = alias(rateLimitCounters, 'peeked');
  return {
    hit: upsert().prepare('rate_limit_hit'),
    peek: db.select().from(rateLimitCounters).where(eq(rateLimitCounters.bucket, bucket)).prepare('rate_limit_peek'),
    hitAndPeek: db.with(hit).select({ start: hit.start, count: hit.count, peekedStart: peeked.windowStart, peekedCount: peeked.count })
      .from(hit).leftJoin(peeked, eq(peeked.bucket, sql.placeholder('peekBucket'))).prepare('rate_limit_hit_and_peek'),
  };
}

/** Requests per window by role; `default` for roles not named (and the public). */
export type RoleLimits = Partial<Record<Role, number>> & { default: number };

export interface RateLimitOptions {
  limits?: RoleLimits;
  windowSeconds?: number;
  /** Where the counters are kept (default: this process's memory; the gateway passes PostgreSQL's). */
  store?: RateLimitStore;
  /** Proxies whose `X-Forwarded-For` is believed (exact addresses); from no one else's. */
  trustedProxies?: readonly string[];
  /** Who the caller is, for counting; defaults to the actor's issuer and subject, else the client's address. */
  clientOf?: (c: Context) => string;
  /** The policy name in the headers, and the counters' namespace. */
  policy?: string;
  /** Requests this limiter leaves to another (the gateway's edge limiter leaves /v1 to the one after authentication). */
  skip?: (c: Context) => boolean;
  /** Told when the store fails; the request then goes on uncounted. */
  onStoreError?: (error: unknown) => void;
  now?: () => number;
  /**
   * The share of a caller's limit this replica may reserve in the store at once and then let
   * through on its own count, with no statement (0, the default: every request is a statement).
   * See "Counting in batches" below.
   */
  batchShare?: number;
}

/** A caller's window as this replica knows it: the store's last answer, and what it holds reserved. */
interface Reserved {
  /** The window's start, as the store last said. */
  start: number;
  /** The count the store last gave: every replica's requests and reservations it had been told of. */
  known: number;
  /** Requests counted in the store for this replica and not yet used: let through with no statement. */
  left: number;
  /** The failed authentications of the caller's address, read with the store's last answer. */
  failures?: { bucket: string; window: RateWindow };
}

export type RateLimitVariables = {
  actor?: Actor;
  requestId?: string;
  /** The failed authentications `limitFailedAuthentication` left to be looked up by `rateLimit`, with the caller's count. */
  failedAuthentications?: DeferredFailures;
};

/**
 * The share of a caller's limit a gateway reserves in the store at once (`batchShare`): the
 * portal's 3,000 a minute is counted 60 at a time, an office's 600 12 at a time; limits under 100
 * are counted request by request.
 */
export const DEFAULT_BATCH_SHARE = 0.02;

/** Per minute by default: the portal speaks for every citizen; an office's staff share its subject. */
export const DEFAULT_LIMITS: RoleLimits = { default: 60, portal: 3000, 'county-office': 600, 'province-office': 600, 'national-office': 600, integrator: 300 };

/** `::ffff:10.0.0.1` → `10.0.0.1`, so a proxy is recognised however the socket spells its address. */
export const plainAddress = (address: string) => address.trim().replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');

/**
 * The client's address: the socket's, unless the socket is a trusted proxy's, then the last
 * address in `X-Forwarded-For` that is not a trusted proxy (each proxy appends the one it saw;
 * what a client wrote itself stands before them and is never believed).
 * @example clientAddress('10.0.0.5', '203.0.113.7, 10.0.0.4', new Set(['10.0.0.4', '10.0.0.5'])) // '203.0.113.7'
 */
export function clientAddress(remote: string | undefined, forwardedFor: string | undefined, trusted: ReadonlySet<string>): string {
  const socket = remote ? plainAddress(remote) : 'unknown';
  if (!trusted.has(socket) || !forwardedFor) return socket;
  const hops = forwardedFor.split(',').map(plainAddress).filter((a) => a.length > 0);
  for (let i = hops.length - 1; i >= 0; i--) if (!trusted.has(hops[i]!)) return hops[i]!;
  return hops[0] ?? socket;
}

/** The address a request came from, as `clientAddress` judges it. */
export function addressOf(c: Context, trusted: ReadonlySet<string>): string {
  let remote: string | undefined;
  try {
    remote = getConnInfo(c).remote.address;
  } catch {
    remote = undefined; // not served by @hono/node-server (e.g. app.request in a test)
  }
  return clientAddress(remote, c.req.header('x-forwarded-for'), trusted);
}

/** The verified token's issuer (authenticate has checked it), so two issuers' equal subjects are two clients. */
function issuerOf(c: Context): string {
  const token = bearerToken(c.req.header('authorization'));
  try {
    const iss = (JSON.parse(Buffer.from(token?.split('.')[1] ?? '', 'base64url').toString('utf8')) as { iss?: unknown }).iss;
    return typeof iss === 'string' ? iss : '';
  } catch {
    return '';
  }
}

/** The actor's issuer and subject, or the client's address for the public. */
export function callerOf(trusted: ReadonlySet<string> = new Set()): (c: Context) => string {
  return (c) => {
    const actor = c.get('actor' as never) as Actor | undefined;
    if (actor && actor.role !== 'public') return `subject:${issuerOf(c)}|${actor.subject}`;
    return `address:${addressOf(c, trusted)}`;
  };
}

/** The actor's subject, or the socket's remote address (no proxy trusted). */
export const defaultClientOf = callerOf();

function tooMany(c: Context, limit: number, windowSeconds: number, reset: number, what = 'requests'): Response {
  const problem: Problem = {
    type: problemType('rate-limited'), title: 'too many requests', title_fa: 'تعداد درخواست‌ها بیش از حد مجاز است', status: 429,
    detail: `at most ${limit} ${what} per ${windowSeconds} s; retry after ${reset} s`, requestId: c.get('requestId' as never) as string | undefined,
  };
  return c.body(JSON.stringify(problem), 429, { 'content-type': 'application/problem+json', 'retry-after': String(reset) });
}

/**
 * Limits each client to `limits[role]` requests per `windowSeconds`.
 *
 * @example
 * v1.use('*', rateLimit({ limits: { default: 60, portal: 3000 }, windowSeconds: 60, store: postgresRateLimitStore(db) }));
 */
export function rateLimit({
  limits = DEFAULT_LIMITS, windowSeconds = 60, store = memoryRateLimitStore(), trustedProxies = [], clientOf,
  policy = 'default', skip, onStoreError = () => {}, now = Date.now, batchShare = 0,
}: RateLimitOptions = {}): MiddlewareHandler<{ Variables: RateLimitVariables }> {
  const windowMs = windowSeconds * 1000;
  const client = clientOf ?? callerOf(new Set(trustedProxies.map(plainAddress)));
  const reserved = new Map<string, Reserved>();
  /** Reservations on their way to the store, by caller: requests with nothing left wait for them rather than send their own. */
  const reserving = new Map<string, Promise<unknown>>();
  let lastSweep = 0;

  // Counting in batches. A caller far from its limit has requests reserved for it in the store a
  // batch at a time (the store's count goes up by the batch, every replica sees it), and this
  // replica lets them through from its reservation with no statement. Within two batches of the
  // limit, and under a limit of 100, a request reserves only itself, as without batches. The
  // store's count therefore never falls behind what was let through, and no replica lets a caller
  // past its limit: a reservation that meets the limit keeps only what is left under it. The
  // price is the other way: what another replica holds reserved and unused (under a batch each,
  // lost with a replica that stops) is refused here. Requests that find nothing left while a
  // reservation is on its way wait for it, so concurrent requests send one statement, not one
  // each. The failed authentications of the caller's address (`limitFailedAuthentication`, left
  // to this statement) are read with each reservation: an address blocked meanwhile is refused
  // from the next statement on, with a token the gateway has already verified (a token not yet
  // verified is never let past a blocked address).
  const batchOf = (limit: number) => Math.floor(limit * batchShare);

  return async function limitRate(c, next) {
    if (skip?.(c)) return next();
    const at = now();
    const limit = limits[c.get('actor')?.role ?? 'public'] ?? limits.default;
    // The failed authentications `limitFailedAuthentication` left to be looked up here, with the count.
    const failures = c.get('failedAuthentications');
    const key = `${policy}:${client(c)}`;
    const batch = batchOf(limit);
    if (at - lastSweep >= windowMs) {
      for (const [bucket, r] of reserved) if (at - r.start >= windowMs) reserved.delete(bucket);
      lastSweep = at;
    }
    const current = () => {
      const r = reserved.get(key);
      return r && at - r.start < windowMs ? r : undefined;
    };
    const failuresKnown = (r: Reserved) => !failures || (r.failures?.bucket === failures.bucket && at - r.failures.window.start < failures.windowMs);

    let w: RateWindow | undefined;
    let allowed = false;
    // From this replica's reservation; or, once, after the reservation on its way.
    for (let waited = false; batch >= 2; waited = true) {
      const r = current();
      if (r && r.left > 0 && failuresKnown(r)) {
        if (failures && r.failures!.window.count >= failures.limit) return failures.refuse(r.failures!.window, at);
        r.left -= 1;
        w = { start: r.start, count: r.known - r.left };
        allowed = true;
        break;
      }
      const coming = reserving.get(key);
      if (waited || !coming) break;
      await coming.catch(() => undefined);
    }
    if (!allowed) {
      // A statement: this request, and a batch reserved with it when the caller is far from its limit.
      const r = current();
      const by = batch >= 2 && !reserving.has(key) && (r ? r.known : 0) + 2 * batch <= limit ? batch : 1;
      let peeked: RateWindow | undefined;
      const asked = failures
        ? store.hitAndPeek(key, at, windowMs, failures.bucket, failures.windowMs, by).then((a) => { peeked = a.peeked; return a.hit; })
        : store.hit(key, at, windowMs, by);
      if (by > 1) {
        reserving.set(key, asked);
        void asked.catch(() => undefined).finally(() => { if (reserving.get(key) === asked) reserving.delete(key); });
      }
      try {
        w = await asked;
      } catch (error) {
        onStoreError(error);
        return next();
      }
      // What of the statement's `by` falls under the limit: this request first, the rest reserved.
      const usable = Math.max(0, Math.min(by, limit - (w.count - by)));
      const blocked = failures !== undefined && peeked!.count >= failures.limit;
      if (batch >= 2) learn(key, w, usable - (usable > 0 && !blocked ? 1 : 0), failures && { bucket: failures.bucket, window: peeked! });
      if (blocked) return failures!.refuse(peeked!, at);
      allowed = usable > 0;
      if (allowed) w = { start: w.start, count: w.count - (usable - 1) };
    }
    const reset = Math.max(1, Math.ceil((w!.start + windowMs - at) / 1000));
    c.header('RateLimit-Policy', `"${policy}";q=${limit};w=${windowSeconds}`);
    c.header('RateLimit', `"${policy}";r=${Math.max(0, limit - w!.count)};t=${reset}`);
    if (allowed) return next();
    return tooMany(c, limit, windowSeconds, reset);
  };

  /** Takes the store's answer: its count, and `kept` more requests reserved for this replica. */
  function learn(key: string, w: RateWindow, kept: number, failures: Reserved['failures']) {
    const r = reserved.get(key);
    if (!r || w.start > r.start) {
      reserved.set(key, { start: w.start, known: w.count, left: kept, ...(failures ? { failures } : {}) });
      return;
    }
    if (w.start < r.start) return;
    r.known = Math.max(r.known, w.count);
    r.left += kept;
    if (failures) r.failures = failures;
  }
}

/** An address's failed authentications, to be looked up by the caller's `rateLimit` with its own count. */
interface DeferredFailures { bucket: string; windowMs: number; limit: number; refuse(w: RateWindow, at: number): Response }

/**
 * Failed authentications (answers 401) per client address: past `limit` in a window, the address
 * gets 429 before its token is even looked at, so a stolen-token guesser or a broken client
 * cannot hammer the verifier. Mount it before `authenticate`.
 *
 * `remembered(c)`: the request's token is one the verifier has remembered, whose check costs no
 * signature. The look-up is then left to the `rateLimit` after `authenticate`, which makes it in
 * the statement that counts the caller (one round trip instead of two): the address past its limit
 * still gets the same 429, a good token or not, and one whose remembered token fails after all
 * (expired meanwhile) too, in place of the 401.
 */
export function limitFailedAuthentication({
  limit = 20, windowSeconds = 60, store = memoryRateLimitStore(), trustedProxies = [], onStoreError = () => {}, now = Date.now, remembered,
}: {
  limit?: number; windowSeconds?: number; store?: RateLimitStore; trustedProxies?: readonly string[]; onStoreError?: (error: unknown) => void; now?: () => number;
  remembered?: (c: Context) => boolean;
} = {}): MiddlewareHandler<{ Variables: RateLimitVariables }> {
  const windowMs = windowSeconds * 1000;
  const trusted = new Set(trustedProxies.map(plainAddress));
  return async function limitAuthFailures(c, next) {
    const bucket = `auth-failures:address:${addressOf(c, trusted)}`;
    const at = now();
    const refuse = (w: RateWindow, when: number) => tooMany(c, limit, windowSeconds, Math.max(1, Math.ceil((w.start + windowMs - when) / 1000)), 'failed authentications');
    const deferred = remembered?.(c) ?? false;
    if (deferred) {
      c.set('failedAuthentications', { bucket, windowMs, limit, refuse });
    } else {
      try {
        const w = await store.peek(bucket, at, windowMs);
        if (w.count >= limit) return refuse(w, at);
      } catch (error) {
        onStoreError(error);
      }
    }
    await next();
    if (c.res.status !== 401) return;
    try {
      const w = await store.hit(bucket, at, windowMs);
      // Left to the caller's count, which never came: the remembered token failed after all (it
      // expired, its issuer's key was withdrawn). An address already past its limit is refused
      // as it would have been before its token was looked at.
      if (deferred && w.count > limit) c.res = refuse(w, at);
    } catch (error) {
      onStoreError(error);
    }
  };
}
