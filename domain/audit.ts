/**
 * The audit trail: one append-only, hash-chained row per state change a person or system asked
 * for. Each entry's hash covers the previous entry's hash, so editing or deleting an entry breaks
 * every link after it and `verifyAuditChain` shows where.
 *
 * Appends are serialised with a transaction-scoped advisory lock, so concurrent appends (from any
 * number of gateway processes) still form one chain in id order.
 */
import { asc, desc, sql } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import type { Database } from '../db/client.js';
import { auditLog } from '../db/schema/index.js';
import { runStatement } from '../db/query.js';

/** The `prevHash` of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** Arbitrary but fixed: the advisory lock every appender takes. */
const AUDIT_LOCK_KEY = 4_242_002_001;

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

/** The hash of an entry: sha256 over the previous hash and the canonical JSON of its content. */
export function entryHash(prevHash: string, entry: { at: Date; actor: string; action: string; subjectType: string; subjectId: string; detail: unknown }): string {
  const content = canonicalJson({
    at: entry.at.toISOString(), actor: entry.actor, action: entry.action,
    subjectType: entry.subjectType, subjectId: entry.subjectId, detail: entry.detail,
  });
  return createHash('sha256').update(prevHash).update(content).digest('hex');
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
  return db.transaction(async (tx) => {
    await runStatement(tx, sql`select pg_advisory_xact_lock(${sql.raw(String(AUDIT_LOCK_KEY))})`);
    const [last] = await tx.select({ hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.id)).limit(1);
    const prevHash = last?.hash ?? GENESIS_HASH;
    // Millisecond precision, set here rather than by the database, so the hashed `at` is the stored one.
    const at = new Date();
    const content = { at, actor: input.actor, action: input.action, subjectType: input.subjectType, subjectId: input.subjectId, detail };
    const hash = entryHash(prevHash, content);
    const [row] = await tx.insert(auditLog).values({ ...content, prevHash, hash }).returning();
    return row as AuditEntry;
  });
}

export type AuditVerification = { ok: true; entries: number; head: string } | { ok: false; brokenAt: number };

/**
 * Walks the chain in id order and recomputes every hash. `brokenAt` is the first entry whose
 * content or link does not match: an edited entry, or the one after a deleted entry. `head` is
 * the last hash; publish or copy it elsewhere to detect a truncated tail as well.
 */
export async function verifyAuditChain(db: Database, { pageSize = 1000 }: { pageSize?: number } = {}): Promise<AuditVerification> {
  let prevHash = GENESIS_HASH;
  let lastId = 0;
  let entries = 0;
  for (;;) {
    const page = await db.select().from(auditLog).where(sql`${auditLog.id} > ${lastId}`).orderBy(asc(auditLog.id)).limit(pageSize);
    for (const row of page) {
      if (row.prevHash !== prevHash || entryHash(prevHash, row) !== row.hash) return { ok: false, brokenAt: row.id };
      prevHash = row.hash;
      lastId = row.id;
      entries += 1;
    }
    if (page.length < pageSize) return { ok: true, entries, head: prevHash };
  }
}
