/**
 * `npx tsx scripts/bench-audit.ts`: audited writes per second, before and after the audit trail
 * was split into chains, measured in one run on one PostgreSQL server.
 *
 *  - before: every append takes the one global advisory lock (the writer as it was), so appends
 *    from concurrent requests queue one behind the other for as long as each one's transaction lasts;
 *  - after: `appendAudit` (domain/audit.ts), a lock per chain, the chain chosen by the subject.
 *
 * Each audited write is a transaction doing the audit append and then `--work-ms` of other work
 * (as a service's state change does), `--writers` at a time, `--writes` in all, each on its own subject.
 * Options: --writes 2000 --writers 16 --work-ms 2
 */
import { desc, sql } from 'drizzle-orm';
import { parseArgs } from 'node:util';
import type { Database } from '../db/client.js';
import { runStatement } from '../db/query.js';
import { auditLog } from '../db/schema/index.js';
import { appendAudit, canonicalJson, entryHash, GENESIS_HASH, verifyAuditChain } from '../domain/audit.js';
import { ensureDatabaseUrl, freshDatabase } from '../test/support/database.js';

const { values } = parseArgs({ options: { writes: { type: 'string', default: '2000' }, writers: { type: 'string', default: '16' }, 'work-ms': { type: 'string', default: '2' } } });
const writes = Number(values.writes);
const writers = Number(values.writers);
const workSeconds = Number(values['work-ms']) / 1000;

/** The writer as it was before the split: one global lock, one chain (legacy chain 0, hashed without id). */
async function appendWithGlobalLock(db: Database, subjectId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await runStatement(tx, sql`select pg_advisory_xact_lock(4242002001)`);
    const [last] = await tx.select({ hash: auditLog.hash }).from(auditLog).where(sql`${auditLog.chain} = 0`).orderBy(desc(auditLog.id)).limit(1);
    const prevHash = last?.hash ?? GENESIS_HASH;
    const at = new Date();
    const content = { at, actor: 'bench', action: 'licence.noted', subjectType: 'licence', subjectId, detail: JSON.parse(canonicalJson({ n: 1 })) };
    await tx.insert(auditLog).values({ ...content, chain: 0, prevHash, hash: entryHash(prevHash, content) });
    await runStatement(tx, sql`select pg_sleep(${workSeconds})`);
  });
}

async function appendPartitioned(db: Database, subjectId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await appendAudit(tx as unknown as Database, { actor: 'bench', action: 'licence.noted', subjectType: 'licence', subjectId, detail: { n: 1 } });
    await runStatement(tx, sql`select pg_sleep(${workSeconds})`);
  });
}

async function measure(name: string, append: (db: Database, subjectId: string) => Promise<void>): Promise<number> {
  const db = await freshDatabase();
  try {
    let next = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: writers }, async () => {
      for (let i = next++; i < writes; i = next++) await append(db.db, `L-${i}`);
    }));
    const seconds = (performance.now() - started) / 1000;
    const verification = await verifyAuditChain(db.db);
    if (!verification.ok || verification.entries !== writes) throw new Error(`${name}: the chain does not verify after the run`);
    return writes / seconds;
  } finally {
    await db.close();
  }
}

await ensureDatabaseUrl();
console.log(`[bench-audit] ${writes} audited writes, ${writers} at a time, each transaction ${values['work-ms']} ms of other work`);
const before = await measure('global lock', appendWithGlobalLock);
const after = await measure('per-chain locks', appendPartitioned);
console.log(`before (one global lock):  ${before.toFixed(0)} writes/s`);
console.log(`after  (per-chain locks):  ${after.toFixed(0)} writes/s`);
console.log(`ratio: ${(after / before).toFixed(2)}×`);
process.exit(0);
