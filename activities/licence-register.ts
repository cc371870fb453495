/**
 * The licence register's side of lifecycle and standing processes: reading a licence again after
 * a wait, changing its status or validity (with the licences that depend on it), and the holdings
 * of "one per person" rules. Each write is idempotent, because Temporal may run it more than once.
 */
import { and, eq, inArray, isNotNull, lte, ne, notExists, or, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { applicationEvents, applications, licenceHoldings, licences, outbox } from '../db/schema/index.js';
import { appendAudit } from '../domain/audit.js';
import { enqueueNotification } from '../domain/outbox.js';

export type AmendAction = 'renew' | 'suspend' | 'reinstate' | 'revoke' | 'close' | 'expire' | 'transfer';
/** The actions that change a licence's status (all but `transfer`, which changes its holder). */
type StatusAction = Exclude<AmendAction, 'transfer'>;
type LicenceStatus = (typeof licences.$inferSelect)['status'];
/** Who a licence passes to: the national code, and the person later changes vet and notify. */
export interface NewHolder { nationalCode: string; person?: Record<string, unknown> | null }

/** The `licence` fact of a lifecycle or standing process, as the register has it now. */
export interface LicenceFacts {
  number: string;
  kind: string;
  licenceType: string;
  status: string;
  issuedAt: string;
  validUntil: string;
  holderNationalCode: string;
  /** The holder as a person, when the register keeps it (licences issued or transferred since it does). */
  holder?: Record<string, unknown>;
  dependsOn: string | null;
  /** The changes (by name: `renewal`, `suspension`…) whose processes are running on it. */
  changesInProgress: string[];
  /** The licences that stand on this one (a centre's manager licence). */
  dependents: { number: string; kind: string; status: string }[];
  /** The other licences its application issued (a centre's activity licence, beside its principle agreement). */
  issuedAlongside: { number: string; kind: string; status: string }[];
}

const STATUS_AFTER = { renew: 'active', reinstate: 'active', suspend: 'suspended', revoke: 'revoked', close: 'closed', expire: 'expired' } as const;
/** Only from the states the action makes sense in: a revoked licence is not renewed back to life. */
const ALLOWED_FROM: Record<AmendAction, readonly LicenceStatus[]> = {
  renew: ['active', 'expired'], reinstate: ['suspended'], suspend: ['active'], revoke: ['active', 'suspended'],
  close: ['active', 'suspended'], expire: ['active', 'suspended'], transfer: ['active', 'suspended'],
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
      const issuedAlongside = await db.select({ number: licences.number, kind: licences.kind, status: licences.status }).from(licences)
        .where(and(eq(licences.applicationId, row.applicationId), ne(licences.number, number))).orderBy(licences.number);
      return {
        number: row.number, kind: row.kind, licenceType: row.licenceType, status: row.status,
        issuedAt: row.issuedAt.toISOString(), validUntil: row.validUntil.toISOString(), holderNationalCode: row.holderNationalCode,
        ...(row.holder ? { holder: row.holder as Record<string, unknown> } : {}),
        dependsOn: row.dependsOn, changesInProgress: [...new Set(running.map((r) => r.change))].sort(), dependents, issuedAlongside,
      };
    },

    /**
     * Claims a holding for a holder on behalf of an application. The primary key decides between
     * two applications claiming at the same moment; a retry by the same application is granted.
     */
    async claimHolding(claim: { holding: string; holder: string; applicationId: string; limit?: number }): Promise<{ granted: boolean; holding: string }> {
      if (claim.limit) return claimOneOf(db, { ...claim, limit: claim.limit });
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
      return { granted, holding: claim.holding };
    },

    /**
     * Applies a change to a licence (renew keeps the number and extends validity, and takes back the
     * holdings of an expired one, refused `holder-holds-holding` when the holder has taken one since;
     * expire only once its validity has passed) and, with `dependents`, to the licences standing on
     * it; queues the portal's notification of each, in order per licence, and audits each. One transaction.
     */
    async amendLicence(change: { number: string; action: AmendAction; validUntil?: string; applicationId: string; seq: number; at: string; grounds?: string; dependents?: Exclude<StatusAction, 'renew'>; holder?: NewHolder }):
      Promise<{ applied: boolean; status: string; validUntil: string; dependents: { number: string; status: string }[]; refusal?: string }> {
      const dedupeKey = `${change.applicationId}:${change.seq}`;
      return db.transaction(async (tx) => {
        const [current] = await tx.select().from(licences).where(eq(licences.number, change.number)).for('update');
        if (!current) throw new Error(`licence ${change.number} does not exist`);
        const dependentsNow = async () => (await tx.select({ number: licences.number, status: licences.status }).from(licences).where(eq(licences.dependsOn, change.number)));
        // A retry of a change already made: its notification is the proof, answer as the first time.
        const [done] = await tx.select({ id: outbox.id }).from(outbox).where(eq(outbox.dedupeKey, dedupeKey));
        if (done) return { applied: true, status: current.status, validUntil: current.validUntil.toISOString(), dependents: change.dependents || change.action === 'transfer' ? await dependentsNow() : [] };
        if (change.action === 'transfer') return transfer(tx, { ...change, dedupeKey, current });
        // A late renewal revives an expired licence: its holdings, let go of at the expiry, come back with it.
        if (change.action === 'renew' && current.status === 'expired') {
          const taken = await reclaimHoldings(tx, current);
          if (taken.length > 0) {
            await appendAudit(tx as unknown as Database, {
              actor: 'workflow', action: 'licence.renewal-refused', subjectType: 'licence', subjectId: change.number,
              detail: { applicationId: change.applicationId, holdings: taken },
            });
            return { applied: false, status: current.status, validUntil: current.validUntil.toISOString(), dependents: [], refusal: 'holder-holds-holding' };
          }
        }
        const applied = await applyOne(tx, { ...change, action: change.action, dedupeKey, from: current.status });
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

    /**
     * Ends (`close` or `revoke`) the other licences in force of the same kind that stand on the
     * same licence as `number` (the centre's previous manager licence when a new one is issued),
     * each with the portal told and the trail written. Idempotent: a licence already ended is skipped.
     */
    async supersedeLicences(change: { number: string; action: 'close' | 'revoke'; applicationId: string; seq: number; at: string }): Promise<string[]> {
      return db.transaction(async (tx) => {
        const [issued] = await tx.select({ kind: licences.kind, dependsOn: licences.dependsOn }).from(licences).where(eq(licences.number, change.number));
        if (!issued?.dependsOn) return [];
        const others = await tx.select({ number: licences.number }).from(licences).where(and(
          eq(licences.dependsOn, issued.dependsOn), eq(licences.kind, issued.kind), ne(licences.number, change.number),
          inArray(licences.status, [...ALLOWED_FROM[change.action]]),
        )).for('update');
        const ended: string[] = [];
        for (const other of others) {
          const done = await applyOne(tx, {
            number: other.number, action: change.action, applicationId: change.applicationId, at: change.at,
            dedupeKey: `${change.applicationId}:${change.seq}:${other.number}`, cause: change.number,
          });
          if (done) ended.push(other.number);
        }
        return ended;
      });
    },
  };
}

/** Why a licence an `issue` names in `adopts` was not moved onto the new licence. */
export type AdoptionRefusal = 'not-found' | 'not-in-force' | 'another-application';

/**
 * Moves licences onto `number` (they stand on it from now on, and end with it): each must be in
 * force and issued by the application or one of its subprocesses (`<application>.<step>.<n>`).
 * Audited per licence moved (`licence.adopted`, from which licence to which). Idempotent: one
 * already standing on `number` counts as adopted, and is not audited again. One transaction.
 */
export async function adoptLicences(db: Database, change: { number: string; adopt: string[]; applicationId: string }):
  Promise<{ adopted: { number: string; from: string | null }[]; refused: { number: string; refusal: AdoptionRefusal }[] }> {
  return db.transaction(async (transaction) => {
    const tx = transaction as unknown as Database;
    const adopted: { number: string; from: string | null }[] = [];
    const refused: { number: string; refusal: AdoptionRefusal }[] = [];
    for (const candidate of [...new Set(change.adopt)]) {
      const [row] = await tx.select().from(licences).where(eq(licences.number, candidate)).for('update');
      const ours = row && (row.applicationId === change.applicationId || row.applicationId.startsWith(`${change.applicationId}.`));
      const refusal: AdoptionRefusal | undefined = !row ? 'not-found' : !ours ? 'another-application' : !IN_FORCE.includes(row.status) ? 'not-in-force' : undefined;
      if (refusal) {
        refused.push({ number: candidate, refusal });
        continue;
      }
      if (row!.dependsOn !== change.number) {
        await tx.update(licences).set({ dependsOn: change.number }).where(eq(licences.number, candidate));
        await appendAudit(tx, {
          actor: 'workflow', action: 'licence.adopted', subjectType: 'licence', subjectId: candidate,
          detail: { applicationId: change.applicationId, from: row!.dependsOn, to: change.number },
        });
      }
      adopted.push({ number: candidate, from: row!.dependsOn });
    }
    return { adopted, refused };
  });
}

/**
 * Hands a licence, and its dependents held by the same holder, to a new holder (a successor), and
 * moves the licence's "one per person" holdings with it: refused when the new holder already holds
 * one of them, or the licence is not in force. With `dependents` (`close`, `revoke`), those
 * dependents stay with their holder and end instead: a personal licence does not pass (a centre's
 * manager licence, seed 002 Art. 5, 8(4)). Runs in the caller's transaction.
 */
async function transfer(tx: Tx, change: {
  number: string; applicationId: string; at: string; grounds?: string; holder?: NewHolder; dedupeKey: string; current: typeof licences.$inferSelect;
  dependents?: Exclude<StatusAction, 'renew'>;
}) {
  const { current } = change;
  const unchanged = (refusal: string) => ({ applied: false, status: current.status, validUntil: current.validUntil.toISOString(), dependents: [], refusal });
  const holder = change.holder?.nationalCode.trim();
  const person = change.holder?.person ?? null;
  if (!holder) throw new Error(`transfer of licence ${change.number} names no new holder`);
  if (!ALLOWED_FROM.transfer.includes(current.status)) return unchanged('licence-not-in-force');
  const previous = current.holderNationalCode;
  if (holder === previous) return unchanged('same-holder');
  const holdings = await tx.select({ holding: licenceHoldings.holding }).from(licenceHoldings)
    .where(and(eq(licenceHoldings.applicationId, current.applicationId), eq(licenceHoldings.holderNationalCode, previous))).for('update');
  if (holdings.length > 0) {
    const taken = await tx.select({ holding: licenceHoldings.holding }).from(licenceHoldings)
      .where(and(eq(licenceHoldings.holderNationalCode, holder), inArray(licenceHoldings.holding, holdings.map((h) => h.holding))));
    if (taken.length > 0) {
      await appendAudit(tx as unknown as Database, {
        actor: 'workflow', action: 'licence.transfer-refused', subjectType: 'licence', subjectId: change.number,
        detail: { applicationId: change.applicationId, holdings: taken.map((t) => t.holding) },
      });
      return unchanged('holder-holds-holding');
    }
    await tx.update(licenceHoldings).set({ holderNationalCode: holder })
      .where(and(eq(licenceHoldings.applicationId, current.applicationId), eq(licenceHoldings.holderNationalCode, previous)));
  }
  const ended = change.dependents ? await endPersonalDependents(tx, { ...change, action: change.dependents, previous }) : undefined;
  const moved = await tx.update(licences).set({ holderNationalCode: holder, holder: person }).where(and(
    ended ? eq(licences.number, change.number) : or(eq(licences.number, change.number), eq(licences.dependsOn, change.number)),
    eq(licences.holderNationalCode, previous),
  )).returning({ number: licences.number, status: licences.status });
  const dependents = moved.filter((m) => m.number !== change.number);
  for (const licence of [{ number: change.number, status: current.status }, ...dependents]) {
    const cause = licence.number === change.number ? undefined : change.number;
    await enqueueNotification(tx as unknown as Database, {
      dedupeKey: cause ? `${change.dedupeKey}:${licence.number}` : change.dedupeKey, subject: licence.number, event: 'licence-holder-transferred',
      payload: {
        licenceNumber: licence.number, status: licence.status, holderNationalCode: holder, applicationId: change.applicationId,
        grounds: change.grounds ?? null, ...(cause ? { because: cause } : {}),
      },
    });
    // The trail names licences and holdings, never the people: the new holder is in the register.
    await appendAudit(tx as unknown as Database, {
      actor: 'workflow', action: 'licence.holder-transferred', subjectType: 'licence', subjectId: licence.number,
      detail: { applicationId: change.applicationId, status: licence.status, holdings: holdings.map((h) => h.holding), ...(cause ? { because: cause } : {}) },
    });
  }
  return { applied: true, status: current.status, validUntil: current.validUntil.toISOString(), dependents: ended ?? dependents };
}

/**
 * Ends (`close`, `revoke`) the licences in force standing on a licence being transferred that its
 * previous holder held: each keeps its holder, the portal is told `because` the transferred licence.
 */
async function endPersonalDependents(tx: Tx, change: { number: string; applicationId: string; at: string; grounds?: string; dedupeKey: string; action: Exclude<StatusAction, 'renew'>; previous: string }) {
  const personal = await tx.select({ number: licences.number }).from(licences).where(and(
    eq(licences.dependsOn, change.number), eq(licences.holderNationalCode, change.previous), inArray(licences.status, [...ALLOWED_FROM[change.action]]),
  )).for('update');
  const ended: { number: string; status: string }[] = [];
  for (const dependent of personal) {
    const done = await applyOne(tx, {
      number: dependent.number, action: change.action, applicationId: change.applicationId, at: change.at,
      grounds: change.grounds, dedupeKey: `${change.dedupeKey}:${dependent.number}`, cause: change.number,
    });
    if (done) ended.push({ number: dependent.number, status: done.status });
  }
  return ended;
}

/**
 * Claims one of `limit` places of a holding for a holder (a legal person's centres, seed 002,
 * Art. 8(5)). Each place is a holding of its own, `<holding>#<n>`, under the same primary key as a
 * single one: the first free place is taken, so of two applications racing for the last place one
 * gets it. An application that already has a place (a retry) keeps it. What is released, taken
 * back or moved later is that place, by its name, like any holding.
 */
async function claimOneOf(db: Database, claim: { holding: string; holder: string; applicationId: string; limit: number }): Promise<{ granted: boolean; holding: string }> {
  const places = Array.from({ length: claim.limit }, (_, i) => `${claim.holding}#${i + 1}`);
  const held = await db.select({ holding: licenceHoldings.holding, applicationId: licenceHoldings.applicationId }).from(licenceHoldings)
    .where(and(eq(licenceHoldings.holderNationalCode, claim.holder), inArray(licenceHoldings.holding, places)));
  const mine = held.find((h) => h.applicationId === claim.applicationId);
  if (mine) return { granted: true, holding: mine.holding };
  const taken = new Set(held.map((h) => h.holding));
  for (const place of places) {
    if (taken.has(place)) continue;
    const [inserted] = await db.insert(licenceHoldings).values({ holding: place, holderNationalCode: claim.holder, applicationId: claim.applicationId })
      .onConflictDoNothing().returning({ holding: licenceHoldings.holding });
    if (inserted) {
      await appendAudit(db, { actor: 'workflow', action: 'holding.claimed', subjectType: 'application', subjectId: claim.applicationId, detail: { holding: place, of: claim.holding, limit: claim.limit } });
      return { granted: true, holding: place };
    }
  }
  await appendAudit(db, {
    actor: 'workflow', action: 'holding.refused', subjectType: 'application', subjectId: claim.applicationId,
    detail: { holding: claim.holding, limit: claim.limit, heldBy: held.map((h) => h.applicationId).sort() },
  });
  return { granted: false, holding: claim.holding };
}

/**
 * Takes back, for a licence an expiry took out of force, the "one per person" holdings its
 * application was granted (its `holding-claimed` timeline events), for the licence's holder now.
 * Returns those the holder has meanwhile taken through another application or licence; then none
 * is taken back. Runs in the caller's transaction; a claim racing it waits on the primary key.
 */
async function reclaimHoldings(tx: Tx, licence: typeof licences.$inferSelect): Promise<string[]> {
  const claimed = await tx.selectDistinct({ holding: sql<string>`${applicationEvents.detail}->>'holding'` }).from(applicationEvents)
    .where(and(eq(applicationEvents.applicationId, licence.applicationId), eq(applicationEvents.kind, 'holding-claimed')));
  const holdings = claimed.map((c) => c.holding);
  if (holdings.length === 0) return [];
  const holder = licence.holderNationalCode;
  const inserted = await tx.insert(licenceHoldings).values(holdings.map((holding) => ({ holding, holderNationalCode: holder, applicationId: licence.applicationId })))
    .onConflictDoNothing().returning({ holding: licenceHoldings.holding });
  const taken = await tx.select({ holding: licenceHoldings.holding }).from(licenceHoldings).where(and(
    eq(licenceHoldings.holderNationalCode, holder), inArray(licenceHoldings.holding, holdings), ne(licenceHoldings.applicationId, licence.applicationId),
  ));
  if (taken.length > 0) {
    // All or none: the licence stays expired, and so do the holdings taken back a moment ago.
    if (inserted.length > 0) {
      await tx.delete(licenceHoldings).where(and(
        eq(licenceHoldings.holderNationalCode, holder), inArray(licenceHoldings.holding, inserted.map((i) => i.holding)), eq(licenceHoldings.applicationId, licence.applicationId),
      ));
    }
    return taken.map((t) => t.holding).sort();
  }
  if (inserted.length > 0) {
    await appendAudit(tx as unknown as Database, {
      actor: 'workflow', action: 'holding.claimed', subjectType: 'application', subjectId: licence.applicationId,
      detail: { holdings: inserted.map((i) => i.holding), licence: licence.number },
    });
  }
  return [];
}

/** One licence's change: the update guarded by its allowed states, the portal told, the trail written. */
async function applyOne(tx: Tx, change: { number: string; action: StatusAction; validUntil?: string; applicationId: string; at: string; grounds?: string; dedupeKey: string; from?: string; cause?: string }) {
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

