/**
 * The audit trail: one append-only, hash-chained row per state change a person or system asked
 * for. Each entry's hash covers the previous entry's hash, so editing or deleting an entry breaks
 * every link after it and `verifyAuditChain` shows where.
 *
 * The trail is kept in AUDIT_CHAINS chains, a subject's entries all in one (`chainOf`); appends to a
 * chain are serialised with a transaction-scoped advisory lock on that chain only, so concurrent
 * appends (from any number of processes) form each chain in id order without serialising every
 * audited write. `verifyAuditChain` walks every chain; its `head` (a hash over the chains' heads)
 * is signed and published (domain/audit-head.ts) so a rewrite of the whole table shows.
 */
import { asc, sql } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import { inTransaction, type Database } from '../db/client.js';
import { auditLog } from '../db/schema/index.js';
import { queryOne, runStatement } from '../db/query.js';

/** The `prevHash` of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** Lock class of the chains' advisory locks (two-key form: class, chain). */
const AUDIT_LOCK_CLASS = 4242;

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface AuditEntryInput {
  /** Who asked: the actor's subject (`ctx.actor.subject`), or a registry's name for callbacks. */
  actor: string;
  /** What happened, `entity.verb-ed`: `application.submitted`, `task.decided`. */
  action: string;
  subjectType: string;
  /** An application, task or inquiry id: never a national code. */
  subjectId: string;
  /** Small facts about the change (outcome, reason, definition version); no personal data. */
  detail?: Record<string, unknown>;
}

export interface AuditEntry extends Required<AuditEntryInput> {
  id: number;
  chain: number;
  at: Date;
  prevHash: string;
  hash: string;
}

/** JSON with object keys sorted at every level (RFC 8785 style), so equal values hash equally. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('canonicalJson: numbers must be finite');
    return JSON.stringify(value) ?? 'null';
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined && typeof v !== 'function')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * The hash of an entry: sha256 over the previous hash and the canonical JSON of its content. From
 * scheme 2 on (every chain but the legacy chain 0) the content includes the row's `id` and `chain`,
 * so a row cannot be renumbered, moved to another chain or swapped with another.
 */
export function entryHash(prevHash: string, entry: { id?: number; chain?: number; at: Date; actor: string; action: string; subjectType: string; subjectId: string; detail: unknown }): string {
  const content = canonicalJson({
    ...(entry.chain ? { id: entry.id, chain: entry.chain } : {}),
    at: entry.at.toISOString(), actor: entry.actor, action: entry.action,
    subjectType: entry.subjectType, subjectId: entry.subjectId, detail: entry.detail,
  });
  return createHash('sha256').update(prevHash).update(content).digest('hex');
}

/**
 * How many chains the trail is kept in. Each subject's entries go to one chain (by a hash of the
 * subject), each chain has its own lock: appends about different subjects mostly take different
 * locks, instead of every audited write in the system queueing behind one. Chain 0 holds the
 * entries written before this (one global chain, hashed without id).
 */
export const AUDIT_CHAINS = 64;

/** The chain (1..AUDIT_CHAINS) a subject's entries are kept in. */
export function chainOf(subjectType: string, subjectId: string): number {
  return 1 + (createHash('sha256').update(`${subjectType}:${subjectId}`).digest().readUInt32BE(0) % AUDIT_CHAINS);
}

/** A national code (10 digits, Persian or Arabic-Indic digits too) as a whole value. */
const NATIONAL_CODE = /^[0-9۰-۹٠-٩]{10}$/;

/** Refuses personal identifiers in the trail: it is kept forever and cannot be edited. */
function assertNoNationalCodes(where: string, value: unknown): void {
  if (typeof value === 'string' && NATIONAL_CODE.test(value.trim())) {
    throw new TypeError(`appendAudit: ${where} looks like a national code; audit entries name ids, not people`);
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (/national.?code/i.test(k)) throw new TypeError(`appendAudit: ${where}.${k} is a national code field`);
      assertNoNationalCodes(`${where}.${k}`, v);
    }
  }
}

/**
 * Appends one entry to the chain and returns it.
 *
 * @example
 * await appendAudit(db, { actor: ctx.actor.subject, action: 'task.decided', subjectType: 'task', subjectId: taskId, detail: { outcome } });
 */
export async function appendAudit(db: Database, input: AuditEntryInput): Promise<AuditEntry> {
  assertNoNationalCodes('subjectId', input.subjectId);
  assertNoNationalCodes('detail', input.detail ?? {});
  // What is stored is exactly what was hashed: the canonical form, read back the same from jsonb.
  const detail = JSON.parse(canonicalJson(input.detail ?? {})) as Json;
  const chain = chainOf(input.subjectType, input.subjectId);
  return inTransaction(db, async (tx) => {
    await runStatement(tx, sql`select pg_advisory_xact_lock(${AUDIT_LOCK_CLASS}, ${chain})`);
    // The chain's last hash and the new entry's id in one statement, both under the chain's lock (so a
    // chain's ids rise in its order; the id is hashed too).
    const { id, last } = await queryOne<{ id: string; last: string | null }>(tx, sql`select nextval(pg_get_serial_sequence('audit_log', 'id')) as id,
      (select ${auditLog.hash} from ${auditLog} where ${auditLog.chain} = ${chain} order by ${auditLog.id} desc limit 1) as last`);
    const prevHash = last ?? GENESIS_HASH;
    // Millisecond precision, set here rather than by the database, so the hashed `at` is the stored one.
    const at = new Date();
    const content = { id: Number(id), chain, at, actor: input.actor, action: input.action, subjectType: input.subjectType, subjectId: input.subjectId, detail };
    const hash = entryHash(prevHash, content);
    const [row] = await tx.insert(auditLog).values({ ...content, prevHash, hash }).returning();
    return row as AuditEntry;
  });
}

/** A chain's last entry as verified: its id, hash and how many entries the chain has. */
export interface ChainHead { id: number; hash: string; entries: number }

/** What a published head says (domain/audit-head.ts): every chain's head at that moment. */
export interface PublishedHead { head: string; entries: number; chains: Record<string, ChainHead> }

export type AuditVerification =
  | { ok: true; entries: number; head: string; chains: Record<string, ChainHead> }
  | { ok: false; brokenAt: number; reason: 'entry-does-not-match' | 'differs-from-published' };

/** The trail's head: a hash over its chains' heads (in chain order), GENESIS_HASH when it is empty. */
export function combinedHead(chains: Record<string, ChainHead>): string {
  const keys = Object.keys(chains).sort((a, b) => Number(a) - Number(b));
  if (keys.length === 0) return GENESIS_HASH;
  return createHash('sha256').update(canonicalJson(keys.map((k) => [Number(k), chains[k]!.id, chains[k]!.hash]))).digest('hex');
}

/**
 * Walks every chain in id order and recomputes every hash. `brokenAt` is the first entry whose
 * content or link does not match: an edited entry, or the one after a deleted entry. With
 * `against` (the last published head) an entry the publication named must still be there with the
 * hash it had: a table rewritten and re-hashed from the start, or cut short, shows there.
 */
export async function verifyAuditChain(db: Database, { pageSize = 1000, against }: { pageSize?: number; against?: PublishedHead } = {}): Promise<AuditVerification> {
  const chains: Record<string, ChainHead> = {};
  const published = new Map(Object.entries(against?.chains ?? {}).map(([chain, head]) => [head.id, { chain: Number(chain), hash: head.hash }]));
  let last = { chain: -1, id: 0 };
  let entries = 0;
  for (;;) {
    const page = await db.select().from(auditLog)
      .where(sql`(${auditLog.chain}, ${auditLog.id}) > (${last.chain}, ${last.id})`).orderBy(asc(auditLog.chain), asc(auditLog.id)).limit(pageSize);
    for (const row of page) {
      const prevHash = chains[row.chain]?.hash ?? GENESIS_HASH;
      if (row.prevHash !== prevHash || entryHash(prevHash, row) !== row.hash) return { ok: false, brokenAt: row.id, reason: 'entry-does-not-match' };
      const promised = published.get(row.id);
      if (promised && (promised.chain !== row.chain || promised.hash !== row.hash)) return { ok: false, brokenAt: row.id, reason: 'differs-from-published' };
      published.delete(row.id);
      chains[row.chain] = { id: row.id, hash: row.hash, entries: (chains[row.chain]?.entries ?? 0) + 1 };
      last = { chain: row.chain, id: row.id };
      entries += 1;
    }
    if (page.length < pageSize) break;
  }
  // A published entry that is gone: the tail was cut, or the table rewritten under other ids.
  const [gone] = published.keys();
  if (gone !== undefined) return { ok: false, brokenAt: gone, reason: 'differs-from-published' };
  return { ok: true, entries, head: combinedHead(chains), chains };
}
