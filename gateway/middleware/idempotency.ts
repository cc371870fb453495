/**
 * `Idempotency-Key` on every POST: a retried request gets the first answer back byte for byte,
 * with its original headers, so its `x-jws-signature` still verifies, and the action runs once.
 *
 * Mount it per operation, after `authenticate` and the operation's access check (the key is
 * scoped to the caller; nothing is stored for a caller who may not call it, nor for an unknown
 * route) and after the operation's body limit (which, for a chunked body, reads the stream once
 * and hands on the bytes), inside `signResponses`:
 *
 *   requestId → signResponses → … → authenticate → rateLimit → (per operation) access → body limit → idempotency → route
 *
 * It needs the signed bytes, which exist only after `signResponses` has run, outside it; so it
 * hands `signResponses` an `onSigned` callback that stores the signed response, and marks a replay
 * with `idempotentReplay` so `signResponses` leaves the stored signature alone. Registry
 * callbacks are exempt: they have their own dedupe (an answered inquiry changes nothing).
 */
import { and, count, eq, lt } from 'drizzle-orm';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Context, MiddlewareHandler } from 'hono';
import { createHash } from 'node:crypto';
import type { Database } from '../../db/client.js';
import { idempotencyKeys } from '../../db/schema/index.js';
import type { Actor } from '../../services/context.js';
import { DomainError, invalid } from '../../services/errors.js';
import { problemResponse } from '../problem.js';
import { redact } from '../../platform/redact.js';
import type { SignedResponse, SigningVariables } from '../sign-responses.js';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

export interface IdempotencyOptions {
  db: Database;
  /** How long a key and its stored response are kept; an expired key is free again. */
  ttlHours?: number;
  /** A request still in progress after this long is taken to have died with its process. */
  leaseSeconds?: number;
  /** Requests that need no key (default: registry callbacks). */
  exempt?: (path: string) => boolean;
  /** Response headers stored and replayed besides the body. */
  storedHeaders?: string[];
  now?: () => number;
}

export type IdempotencyVariables = SigningVariables & { actor?: Actor };

const STORED_HEADERS = ['content-type', 'location', 'x-jws-signature', 'x-request-id'];
const NULL_BODY = new Set([204, 205, 304]);
const KEY = /^[\x20-\x7e]{1,255}$/;

const keyRequired = invalid('idempotency-key-required', IDEMPOTENCY_HEADER,
  { fa: 'سرآیند Idempotency-Key الزامی است', en: 'an Idempotency-Key header is required' },
  'send a unique Idempotency-Key (1 to 255 printable characters) with every POST, and the same one when retrying it');
const keyReused = new DomainError('conflict', 'idempotency-key-reused',
  { fa: 'این کلید یکتایی برای درخواست دیگری به کار رفته است', en: 'the idempotency key was used for a different request' },
  'a retry must repeat the same method, path and body; use a new key for a new request', IDEMPOTENCY_HEADER);
const inProgress = new DomainError('conflict', 'idempotency-in-progress',
  { fa: 'درخواست نخست با این کلید هنوز در جریان است', en: 'the first request with this key is still in progress' },
  'retry shortly to receive its response', IDEMPOTENCY_HEADER);

/**
 * Makes POSTs safe to retry.
 *
 * @example
 * v1.use('*', authenticate(verifyToken));
 * v1.use('*', idempotency({ db: deps.db }));
 */
export function idempotency({
  db, ttlHours = 24, leaseSeconds = 120, exempt = (path) => path.startsWith('/v1/callbacks/'),
  storedHeaders = STORED_HEADERS, now = Date.now,
}: IdempotencyOptions): MiddlewareHandler<{ Variables: IdempotencyVariables }> {
  return async function idempotentPost(c, next) {
    if (c.req.method !== 'POST' || exempt(c.req.path)) return next();
    // Nothing is stored for the public: a public POST (there is none today) is not made idempotent.
    const actor = c.get('actor');
    if (!actor || actor.role === 'public') return next();
    const key = c.req.header(IDEMPOTENCY_HEADER);
    if (key === undefined || !KEY.test(key)) return problemResponse(c, keyRequired);
    const caller = actor.subject;
    const url = new URL(c.req.url);
    const target = `${url.pathname}${url.search}`;
    const body = new Uint8Array(await c.req.arrayBuffer());
    const requestHash = createHash('sha256').update(`${c.req.method}\n${target}\n`).update(body).digest('hex');
    const where = and(eq(idempotencyKeys.caller, caller), eq(idempotencyKeys.key, key));

    // Claim the key: a new row, or take over an expired one or one whose request died mid-way.
    let claimedAt: Date | undefined;
    for (let attempt = 0; attempt < 3 && !claimedAt; attempt++) {
      const at = new Date(now());
      const fresh = { method: c.req.method, path: target, requestHash, state: 'in-progress' as const, createdAt: at, expiresAt: new Date(at.getTime() + ttlHours * 3_600_000) };
      const inserted = await db.insert(idempotencyKeys).values({ caller, key, ...fresh }).onConflictDoNothing().returning({ key: idempotencyKeys.key });
      if (inserted.length) { claimedAt = at; break; }
      const [row] = await db.select().from(idempotencyKeys).where(where);
      if (!row) continue; // deleted meanwhile (a failed first attempt): try the insert again
      const expired = row.expiresAt.getTime() <= at.getTime();
      const abandoned = row.state === 'in-progress' && row.createdAt.getTime() <= at.getTime() - leaseSeconds * 1000;
      if (!expired && row.requestHash !== requestHash) return problemResponse(c, keyReused);
      if (expired || abandoned) {
        // Conditional on the row read, so of two takers only one wins; the other loops and sees its claim.
        const taken = await db.update(idempotencyKeys).set({ ...fresh, responseStatus: null, responseHeaders: null, responseBody: null })
          .where(and(where, eq(idempotencyKeys.createdAt, row.createdAt))).returning({ key: idempotencyKeys.key });
        if (taken.length) claimedAt = at;
        continue;
      }
      if (row.state === 'in-progress') {
        c.header('retry-after', '1');
        return problemResponse(c, inProgress);
      }
      return replay(c, row.responseStatus ?? 200, row.responseHeaders as Record<string, string>, row.responseBody);
    }
    if (!claimedAt) {
      c.header('retry-after', '1');
      return problemResponse(c, inProgress);
    }

    const mine = and(where, eq(idempotencyKeys.createdAt, claimedAt));
    const release = () => db.delete(idempotencyKeys).where(mine).then(() => undefined, (error: unknown) => {
      console.error('[idempotency] could not release a key after a failure', redact(error));
    });
    try {
      await next();
    } catch (error) {
      await release();
      throw error;
    }
    // A server failure is not an answer: free the key so the client can retry.
    if (c.res.status >= 500) {
      await release();
      return;
    }
    c.set('onSigned', async function storeSignedResponse(signed: SignedResponse) {
      const headers = Object.fromEntries(storedHeaders.flatMap((name) => {
        const value = signed.headers.get(name);
        return value === null ? [] : [[name, value]];
      }));
      try {
        await db.update(idempotencyKeys).set({
          state: 'done', responseStatus: signed.status, responseHeaders: headers, responseBody: Buffer.from(signed.body),
        }).where(mine);
      } catch (error) {
        // The answer still goes out; the key stays in progress until its lease runs out.
        console.error('[idempotency] could not store a response for replay', redact(error));
      }
    });
  };
}

/** Answers with the stored response as first sent, bypassing re-signing. */
function replay(c: Context<{ Variables: IdempotencyVariables }>, status: number, headers: Record<string, string>, body: Buffer | null) {
  c.set('idempotentReplay', true);
  // Dropped first so no header set on this request (a new x-request-id) overwrites the stored ones.
  c.res = undefined;
  c.res = new Response(NULL_BODY.has(status) || !body?.byteLength ? null : new Uint8Array(body), { status, headers });
}

/** Deletes expired keys; run it now and then (the middleware ignores them meanwhile). */
export async function deleteExpiredIdempotencyKeys(db: Database, at = new Date()): Promise<number> {
  const deleted = await db.delete(idempotencyKeys).where(lt(idempotencyKeys.expiresAt, at)).returning({ key: idempotencyKeys.key });
  return deleted.length;
}

export interface IdempotencySweep {
  /** Runs one sweep now (the timer runs them on its own); resolves with the keys deleted. */
  sweep(): Promise<number>;
  /** Stops the timer and waits for a sweep in progress. */
  stop(): Promise<void>;
}

/**
 * Deletes expired keys every `intervalMs` (and once at start), and publishes the table's size
 * on `registry` as `parvaneh_idempotency_keys` (counted at scrape time) with the deletions in
 * `parvaneh_idempotency_keys_expired_deleted_total`. Every gateway replica may run it: a
 * delete of expired rows is the same whoever runs it. The timer does not hold the process open.
 *
 * @example const sweep = startIdempotencySweep({ db, registry, onError: (e) => logger.warn(e) }); … await sweep.stop();
 */
export function startIdempotencySweep({ db, registry, intervalMs = 10 * 60_000, onError = () => {} }: {
  db: Database; registry?: Registry; intervalMs?: number; onError?: (error: unknown) => void;
}): IdempotencySweep {
  let deleted: Counter | undefined;
  if (registry && !registry.getSingleMetric('parvaneh_idempotency_keys')) {
    new Gauge({
      name: 'parvaneh_idempotency_keys', help: 'Rows in idempotency_keys (expired ones included until the sweep deletes them)', registers: [registry],
      async collect() {
        const [row] = await db.select({ n: count() }).from(idempotencyKeys);
        this.set(row?.n ?? 0);
      },
    });
    deleted = new Counter({ name: 'parvaneh_idempotency_keys_expired_deleted_total', help: 'Expired idempotency keys deleted by the sweep', registers: [registry] });
  }
  let running: Promise<number> | undefined;
  const sweep = () => {
    running ??= deleteExpiredIdempotencyKeys(db).then((n) => { deleted?.inc(n); return n; }).finally(() => { running = undefined; });
    return running;
  };
  const tick = () => { sweep().catch(onError); };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();
  return {
    sweep,
    async stop() {
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
