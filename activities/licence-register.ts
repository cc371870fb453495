/**
 * The licence register's side of lifecycle and standing processes: reading a licence again after
 * a wait, changing its status or validity (with the licences that depend on it), and the holdings
 * of "one per person" rules. Each write is idempotent, because Temporal may run it more than once.
 */
import { and, eq, inArray, isNotNull, lte, notExists, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { applications, licenceHoldings, licences, outbox } from '../db/schema/index.js';
import { appendAudit } from '../services/audit.js';
import { enqueueNotification } from './outbox-queue.js';

export type AmendAction = 'renew' | 'suspend' | 'reinstate' | 'revoke' | 'close' | 'expire';
type LicenceStatus = (typeof licences.$inferSelect)['status'];

/** The `licence` fact of a lifecycle or standing process, as the register has it now. */
export interface LicenceFacts {
  number: string;
  kind: string;
  licenceType: string;
  status: string;
  issuedAt: string;
  validUntil: string;
  holderNationalCode: string;
  dependsOn: string | null;
  /** The changes (by name: `renewal`, `suspension`…) whose processes are running on it. */
  changesInProgress: string[];
  /** The licences that stand on this one (a centre's manager licence). */
  dependents: { number: string; kind: string; status: string }[];
}

const STATUS_AFTER = { renew: 'active', reinstate: 'active', suspend: 'suspended', revoke: 'revoked', close: 'closed', expire: 'expired' } as const;
/** Only from the states the action makes sense in: a revoked licence is not renewed back to life. */
const ALLOWED_FROM: Record<AmendAction, readonly LicenceStatus[]> = {
  renew: ['active', 'expired'], reinstate: ['suspended'], suspend: ['active'], revoke: ['active', 'suspended'],
  close: ['active', 'suspended'], expire: ['active', 'suspended'],
};
const PORTAL_EVENT = { renew: 'licence-renewed', reinstate: 'licence-reinstated', suspend: 'licence-suspended', revoke: 'licence-revoked', close: 'licence-closed', expire: 'licence-expired' } as const;
const IN_FORCE: LicenceStatus[] = ['active', 'suspended'];

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

/**
 * Lets go of an application's holdings once none of its licences is in force any more (it ended
 * without one, or the last was revoked, closed or expired): the person may apply again.
 */
export async function releaseHoldings(db: Database | Tx, applicationId: string): Promise<number> {
  const released = await db.delete(licenceHoldings).where(and(
    eq(licenceHoldings.applicationId, applicationId),
    notExists(db.select({ one: sql`1` }).from(licences).where(and(eq(licences.applicationId, applicationId), inArray(licences.status, IN_FORCE)))),
  )).returning({ holding: licenceHoldings.holding });
  if (released.length > 0) {
    await appendAudit(db as Database, { actor: 'workflow', action: 'holding.released', subjectType: 'application', subjectId: applicationId, detail: { holdings: released.map((r) => r.holding) } });
  }
  return released.length;
}

/** The register's operations; `createDatabaseActivities` wraps each with its timeline event. */
export function createLicenceRegister(db: Database) {
  return {
    /** The licence as the register has it now, with the changes running on it and its dependents. */
    async readLicence(number: string): Promise<LicenceFacts> {
      const [row] = await db.select().from(licences).where(eq(licences.number, number));
      if (!row) throw new Error(`licence ${number} does not exist`);
      const running = await db.select({ change: sql<string>`${applications.facts}->'change'->>'type'` }).from(applications)
        .where(and(eq(applications.status, 'running'), sql`${applications.facts}->'licence'->>'number' = ${number}`, isNotNull(sql`${applications.facts}->'change'->>'type'`)));
      const dependents = await db.select({ number: licences.number, kind: licences.kind, status: licences.status }).from(licences).where(eq(licences.dependsOn, number));
      return {
        number: row.number, kind: row.kind, licenceType: row.licenceType, status: row.status,
        issuedAt: row.issuedAt.toISOString(), validUntil: row.validUntil.toISOString(), holderNationalCode: row.holderNationalCode,
        dependsOn: row.dependsOn, changesInProgress: [...new Set(running.map((r) => r.change))].sort(), dependents,
      };
    },

    /**
     * Claims a holding for a holder on behalf of an application. The primary key decides between
     * two applications claiming at the same moment; a retry by the same application is granted.
     */
    async claimHolding(claim: { holding: string; holder: string; applicationId: string }): Promise<{ granted: boolean }> {
      const [inserted] = await db.insert(licenceHoldings).values({ holding: claim.holding, holderNationalCode: claim.holder, applicationId: claim.applicationId })
        .onConflictDoNothing().returning({ applicationId: licenceHoldings.applicationId });
      const [held] = inserted ? [inserted] : await db.select({ applicationId: licenceHoldings.applicationId }).from(licenceHoldings)
        .where(and(eq(licenceHoldings.holding, claim.holding), eq(licenceHoldings.holderNationalCode, claim.holder)));
      const granted = held?.applicationId === claim.applicationId;
      if (inserted || !granted) {
        await appendAudit(db, {
          actor: 'workflow', action: granted ? 'holding.claimed' : 'holding.refused', subjectType: 'application', subjectId: claim.applicationId,
          detail: { holding: claim.holding, ...(granted ? {} : { heldBy: held?.applicationId ?? null }) },
        });
      }
      return { granted };
    },

    /**
     * Applies a change to a licence (renew keeps the number and extends validity; expire only once
     * its validity has passed) and, with `dependents`, to the licences standing on it; queues the
     * portal's notification of each, in order per licence, and audits each. One transaction.
     */
    async amendLicence(change: { number: string; action: AmendAction; validUntil?: string; applicationId: string; seq: number; at: string; grounds?: string; dependents?: Exclude<AmendAction, 'renew'> }):
      Promise<{ applied: boolean; status: string; validUntil: string; dependents: { number: string; status: string }[] }> {
      const dedupeKey = `${change.applicationId}:${change.seq}`;
      return db.transaction(async (tx) => {
        const [current] = await tx.select().from(licences).where(eq(licences.number, change.number)).for('update');
        if (!current) throw new Error(`licence ${change.number} does not exist`);
        const dependentsNow = async () => (await tx.select({ number: licences.number, status: licences.status }).from(licences).where(eq(licences.dependsOn, change.number)));
        // A retry of a change already made: its notification is the proof, answer as the first time.
        const [done] = await tx.select({ id: outbox.id }).from(outbox).where(eq(outbox.dedupeKey, dedupeKey));
        if (done) return { applied: true, status: current.status, validUntil: current.validUntil.toISOString(), dependents: change.dependents ? await dependentsNow() : [] };
        const applied = await applyOne(tx, { ...change, dedupeKey, from: current.status });
        if (!applied) return { applied: false, status: current.status, validUntil: current.validUntil.toISOString(), dependents: [] };
        const dependents: { number: string; status: string }[] = [];
        if (change.dependents) {
          const standing = await tx.select({ number: licences.number }).from(licences)
            .where(and(eq(licences.dependsOn, change.number), inArray(licences.status, [...ALLOWED_FROM[change.dependents]])));
          for (const dependent of standing) {
            const done = await applyOne(tx, {
              number: dependent.number, action: change.dependents, applicationId: change.applicationId, at: change.at,
              grounds: change.grounds, dedupeKey: `${dedupeKey}:${dependent.number}`, cause: change.number,
            });
            if (done) dependents.push({ number: dependent.number, status: done.status });
          }
        }
        return { applied: true, status: applied.status, validUntil: applied.validUntil, dependents };
      });
    },
  };
}

/** One licence's change: the update guarded by its allowed states, the portal told, the trail written. */
async function applyOne(tx: Tx, change: { number: string; action: AmendAction; validUntil?: string; applicationId: string; at: string; grounds?: string; dedupeKey: string; from?: string; cause?: string }) {
  const status = STATUS_AFTER[change.action];
  const guards = [eq(licences.number, change.number), inArray(licences.status, [...ALLOWED_FROM[change.action]])];
  // A licence expires only once its validity has passed: a renewal that got there first wins.
  if (change.action === 'expire') guards.push(lte(licences.validUntil, new Date(change.at)));
  const [updated] = await tx.update(licences).set({ status, ...(change.validUntil ? { validUntil: new Date(change.validUntil) } : {}) })
    .where(and(...guards)).returning({ validUntil: licences.validUntil, applicationId: licences.applicationId });
  if (!updated) return undefined;
  const event = PORTAL_EVENT[change.action];
  await enqueueNotification(tx as unknown as Database, {
    dedupeKey: change.dedupeKey, subject: change.number, event,
    payload: {
      licenceNumber: change.number, status, validUntil: updated.validUntil.toISOString(), applicationId: change.applicationId,
      grounds: change.grounds ?? null, ...(change.cause ? { because: change.cause } : {}),
    },
  });
  await appendAudit(tx as unknown as Database, {
    actor: 'workflow', action: event.replace('licence-', 'licence.'), subjectType: 'licence', subjectId: change.number,
    detail: { applicationId: change.applicationId, status, ...(change.from ? { from: change.from } : {}), ...(change.cause ? { because: change.cause } : {}) },
  });
  if (!IN_FORCE.includes(status as LicenceStatus)) await releaseHoldings(tx, updated.applicationId);
  return { status, validUntil: updated.validUntil.toISOString() };
}

