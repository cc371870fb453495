/** The audit trail's hash chain, on a real PostgreSQL database. */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../db/schema/index.js';
import { freshDatabase } from '../test/support/database.js';
import { appendAudit, canonicalJson, combinedHead, entryHash, GENESIS_HASH, verifyAuditChain, type PublishedHead } from './audit.js';
import { queryOne, runStatement } from '../db/query.js';

let handle: Awaited<ReturnType<typeof freshDatabase>>;

beforeAll(async () => { handle = await freshDatabase(); });
afterAll(async () => { await handle?.close(); });

describe('audit trail', () => {
  it('starts from 64 zeros and links each entry to the one before', async () => {
    expect(await verifyAuditChain(handle.db)).toEqual({ ok: true, entries: 0, head: GENESIS_HASH, chains: {} });
    const first = await appendAudit(handle.db, {
      actor: 'portal-1', action: 'application.submitted', subjectType: 'application', subjectId: 'a-1', detail: { licenceType: 'welfare-services-centre', definitionVersion: 2 },
    });
    const second = await appendAudit(handle.db, { actor: 'county-ahvaz', action: 'application.withdrawn', subjectType: 'application', subjectId: 'a-1', detail: { outcome: 'approve' } });
    expect(first.prevHash).toBe(GENESIS_HASH);
    expect(second.prevHash).toBe(first.hash);
    expect(second.chain).toBe(first.chain);
    expect(await verifyAuditChain(handle.db)).toEqual({ ok: true, entries: 2, head: combinedHead({ [first.chain]: { id: second.id, hash: second.hash, entries: 2 } }), chains: { [first.chain]: { id: second.id, hash: second.hash, entries: 2 } } });
  });

  it('keeps one valid chain when 50 appends run concurrently', async () => {
    const before = await verifyAuditChain(handle.db);
    expect(before.ok).toBe(true);
    await Promise.all(Array.from({ length: 50 }, (_, i) => appendAudit(handle.db, {
      actor: `office-${i % 5}`, action: 'application.withdrawal-requested', subjectType: 'application', subjectId: `a-${i}`, detail: { n: i, reason: 'درخواست متقاضی' },
    })));
    const result = await verifyAuditChain(handle.db);
    expect(result).toMatchObject({ ok: true, entries: (before as { entries: number }).entries + 50 });
    // One line per chain: no two entries of a chain share a predecessor.
    const { forks } = await queryOne<{ forks: string }>(handle.db, sql`select count(*) - count(distinct (chain, prev_hash)) as forks from audit_log`);
    expect(Number(forks)).toBe(0);
  });

  it('reports the entry whose detail was edited in the database', async () => {
    const rows = await handle.db.select({ id: auditLog.id }).from(auditLog).orderBy(auditLog.id);
    const victim = rows[10]!.id;
    await runStatement(handle.db, sql`update audit_log set detail = jsonb_set(detail, '{reason}', '"edited"') where id = ${victim}`);
    expect(await verifyAuditChain(handle.db, { pageSize: 7 })).toEqual({ ok: false, brokenAt: victim, reason: 'entry-does-not-match' });
  });

  it('reports the entry after a deleted one', async () => {
    const db = (await freshDatabase());
    try {
      const entries = [];
      for (let i = 0; i < 5; i++) entries.push(await appendAudit(db.db, { actor: 'p', action: 'x.done', subjectType: 'x', subjectId: 'x-1', detail: { i } }));
      await db.db.delete(auditLog).where(eq(auditLog.id, entries[2]!.id));
      expect(await verifyAuditChain(db.db)).toEqual({ ok: false, brokenAt: entries[3]!.id, reason: 'entry-does-not-match' });
    } finally {
      await db.close();
    }
  });

  it('refuses national codes in the trail', async () => {
    await expect(appendAudit(handle.db, { actor: 'p', action: 'x', subjectType: 'person', subjectId: '0012345679' })).rejects.toThrow(/national code/);
    await expect(appendAudit(handle.db, { actor: 'p', action: 'x', subjectType: 'application', subjectId: 'a', detail: { applicant: { nationalCode: 'x' } } })).rejects.toThrow(/national code/);
    await expect(appendAudit(handle.db, { actor: 'p', action: 'x', subjectType: 'application', subjectId: 'a', detail: { who: '۰۰۱۲۳۴۵۶۷۹' } })).rejects.toThrow(/national code/);
  });

  it('hashes the same content the same whatever its key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: 'ی' } })).toBe('{"a":{"c":"ی","d":[1,{"x":1,"y":2}]},"b":1}');
  });

  it('hashes the row id: an entry renumbered (the same content under another id) breaks the chain', async () => {
    const db = await freshDatabase();
    try {
      const entries = [];
      for (let i = 0; i < 3; i++) entries.push(await appendAudit(db.db, { actor: 'p', action: 'x.done', subjectType: 'x', subjectId: 'x-1', detail: { i } }));
      await runStatement(db.db, sql`update audit_log set id = id + 1000 where id = ${entries[2]!.id}`);
      expect(await verifyAuditChain(db.db)).toEqual({ ok: false, brokenAt: entries[2]!.id + 1000, reason: 'entry-does-not-match' });
    } finally {
      await db.close();
    }
  });

  it('a table rewritten and re-hashed from the start verifies on its own, but not against the last published head', async () => {
    const db = await freshDatabase();
    try {
      for (let i = 0; i < 6; i++) await appendAudit(db.db, { actor: 'p', action: 'licence.suspended', subjectType: 'licence', subjectId: `L-${i % 3}`, detail: { i } });
      const published = await verifyAuditChain(db.db);
      expect(published.ok).toBe(true);
      const head = published as PublishedHead;
      expect(await verifyAuditChain(db.db, { against: head })).toMatchObject({ ok: true });
      // The forger edits one entry and recomputes every hash after it, chain by chain.
      await runStatement(db.db, sql`update audit_log set detail = '{"i": 99}' where id = (select min(id) from audit_log)`);
      const rows = await db.db.select().from(auditLog).orderBy(auditLog.chain, auditLog.id);
      const prev = new Map<number, string>();
      for (const row of rows) {
        const prevHash = prev.get(row.chain) ?? GENESIS_HASH;
        const hash = entryHash(prevHash, row);
        await runStatement(db.db, sql`update audit_log set prev_hash = ${prevHash}, hash = ${hash} where id = ${row.id}`);
        prev.set(row.chain, hash);
      }
      expect(await verifyAuditChain(db.db)).toMatchObject({ ok: true, entries: 6 });
      expect(await verifyAuditChain(db.db, { against: head })).toMatchObject({ ok: false, reason: 'differs-from-published' });
      // Cutting the tail off shows against the head too.
      const fresh = await verifyAuditChain(db.db) as PublishedHead;
      await db.db.delete(auditLog).where(eq(auditLog.id, Math.max(...rows.map((r) => r.id))));
      expect(await verifyAuditChain(db.db)).toMatchObject({ ok: true });
      expect(await verifyAuditChain(db.db, { against: fresh })).toMatchObject({ ok: false, reason: 'differs-from-published' });
    } finally {
      await db.close();
    }
  });
});
