/**
 * Database activities of competitive calls: an applicant joining the cohort, and the call's
 * stage transitions (documents deadline, shortlist, interviews closed, final ranking, reserves).
 * Each transition runs in one transaction under a lock on the call's row, ranks with the pure
 * `dsl/ranking.ts`, and returns the verdicts the call workflow signals to the applications.
 * A transition run again (an activity retry) finds the call past it and returns its verdicts anew.
 */
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { applications, competitionEntries, competitions } from '../db/schema/index.js';
import type { Facts } from '../dsl/expressions.js';
import { allocate, rank, round2, type Ranked } from '../dsl/ranking.js';
import type { CallSection } from '../dsl/schema.js';
import { appendAudit } from '../domain/audit.js';
import type { CallStage, CallVerdict } from '../domain/workflow-interfaces/competition-process.js';
import { enqueueNotification } from '../domain/outbox.js';

type Entry = typeof competitionEntries.$inferSelect & { applicationStatus: string };
type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

/** The transitions of a call, each run once at its moment by the call workflow. */
export type CallTransition = 'close-documents' | 'shortlist' | 'refill-interviews' | 'close-interviews' | 'final' | 'refill-reserves' | 'close-reserves';

/** Reasons the call refuses an applicant with (the application ends rejected with them). */
export const CompetitionReasons = {
  lateDocuments: 'LATE_DOCUMENTS',
  examAbsent: 'EXAM_ABSENT',
  belowPassMark: 'EXAM_BELOW_PASS_MARK',
  scoreUnavailable: 'SCORE_UNAVAILABLE',
  interviewNotHeld: 'INTERVIEW_NOT_HELD',
  notShortlisted: 'NOT_SHORTLISTED',
  notSelected: 'NOT_SELECTED',
  withdrawn: 'WITHDRAWN',
} as const;

/** The facts the score and tie-breakers read: the application's, plus the exam result. */
export function scoringFacts(entry: { facts: unknown; examScore: number | null; applicationId: string }, maxScore: number): Facts {
  const facts = (entry.facts ?? {}) as Facts;
  const exam = entry.examScore === null ? null : { score: entry.examScore, percent: round2((entry.examScore / maxScore) * 100) };
  return { ...facts, exam };
}

/** The call's ranking of `entries`, each university's list numbered from 1. */
export function rankByUniversity(call: CallSection, entries: Entry[]): Map<string, Ranked & { university: string }> {
  const ranked = rank(call, entries.map((e) => ({ id: e.applicationId, facts: scoringFacts(e, call.exam.maxScore) })));
  const universityOf = new Map(entries.map((e) => [e.applicationId, e.university]));
  const counters: Record<string, number> = {};
  const result = new Map<string, Ranked & { university: string }>();
  for (const r of ranked) {
    const university = universityOf.get(r.id)!;
    counters[university] = (counters[university] ?? 0) + 1;
    result.set(r.id, { ...r, rank: counters[university]!, university });
  }
  return result;
}

const running = (e: Entry) => e.applicationStatus === 'running';
const refuse = (e: Entry, stage: CallVerdict['stage'], reason: string): CallVerdict => ({ applicationId: e.applicationId, stage, verdict: 'refuse', reason });
const advance = (e: Entry, stage: CallVerdict['stage']): CallVerdict => ({ applicationId: e.applicationId, stage, verdict: 'advance' });

export function createCompetitionActivities(db: Database) {
  const loadEntries = async (tx: Tx, callId: string): Promise<Entry[]> => {
    const rows = await tx.select({ entry: competitionEntries, applicationStatus: applications.status }).from(competitionEntries)
      .innerJoin(applications, eq(applications.id, competitionEntries.applicationId))
      .where(eq(competitionEntries.callId, callId)).orderBy(competitionEntries.applicationId);
    return rows.map((r) => ({ ...r.entry, applicationStatus: r.applicationStatus }));
  };
  const lockCall = async (tx: Tx, callId: string) => {
    const [call] = await tx.select().from(competitions).where(eq(competitions.id, callId)).for('update');
    if (!call) throw new Error(`call ${callId} is not recorded`);
    return call;
  };
  const setEntry = (tx: Tx, applicationId: string, change: Partial<typeof competitionEntries.$inferInsert>) =>
    tx.update(competitionEntries).set({ ...change, updatedAt: sql`now()` }).where(eq(competitionEntries.applicationId, applicationId));
  const setStage = (tx: Tx, callId: string, stage: CallStage) =>
    tx.update(competitions).set({ stage, updatedAt: sql`now()` }).where(eq(competitions.id, callId));
  /** Entries whose application was withdrawn drop out: their place is free for the next in rank. */
  const dropWithdrawn = async (tx: Tx, entries: Entry[]) => {
    for (const e of entries) {
      if (e.applicationStatus === 'withdrawn' && e.status !== 'refused') {
        await setEntry(tx, e.applicationId, { status: 'refused', reason: CompetitionReasons.withdrawn });
        e.status = 'refused';
        e.reason = CompetitionReasons.withdrawn;
      }
    }
  };
  const standingOf = (r: Ranked) => ({ score: r.score, bonus: r.bonus, total: r.total, keys: r.keys, decidedBy: r.decidedBy });

  /** Scores `pool` and fills `seats` per university: the chosen advance, the rest wait in rank order. */
  const rankAndAllocate = async (tx: Tx, call: CallSection, pool: Entry[], seats: (capacity: number) => number, stage: 'shortlist' | 'final') => {
    const ranking = rankByUniversity(call, pool);
    const ordered = [...ranking.values()];
    const capacities = Object.fromEntries(Object.entries(call.universities).map(([u, { capacity }]) => [u, seats(capacity)]));
    const { chosen, rest } = allocate(ordered, (r) => r.university, capacities);
    for (const r of ordered) {
      await setEntry(tx, r.id, { standing: standingOf(r), ...(stage === 'shortlist' ? { shortlistRank: r.rank } : { finalRank: r.rank }) });
    }
    return { chosen, rest };
  };

  const transitions: Record<CallTransition, (tx: Tx, callId: string, call: CallSection, entries: Entry[], stage: CallStage) => Promise<{ verdicts: CallVerdict[]; pending: number; stage?: CallStage }>> = {
    async 'close-documents'(tx, callId, _call, entries, stage) {
      const late = entries.filter((e) => running(e) && (e.status === 'registered' || (e.status === 'refused' && e.reason === CompetitionReasons.lateDocuments)));
      if (stage === 'registration') for (const e of late) await setEntry(tx, e.applicationId, { status: 'refused', reason: CompetitionReasons.lateDocuments });
      return { verdicts: late.map((e) => refuse(e, 'shortlist', CompetitionReasons.lateDocuments)), pending: 0, stage: 'exam' };
    },

    async shortlist(tx, _callId, call, entries, stage) {
      const reasons = [CompetitionReasons.examAbsent, CompetitionReasons.belowPassMark, CompetitionReasons.scoreUnavailable];
      if (stage !== 'exam') {
        // Run again: the verdicts as they stand.
        const verdicts = entries.filter(running).flatMap((e) =>
          e.status === 'refused' && reasons.includes(e.reason as never) ? [refuse(e, 'shortlist', e.reason!)]
            : e.status === 'shortlisted' ? [advance(e, 'shortlist')] : e.status === 'selected' ? [advance(e, 'final')] : []);
        return { verdicts, pending: 0 };
      }
      const verdicts: CallVerdict[] = [];
      const passed: Entry[] = [];
      const finalStage = call.interview ? 'shortlist' : 'final';
      for (const e of entries.filter((x) => running(x) && x.status === 'eligible')) {
        const facts = scoringFacts(e, call.exam.maxScore);
        const percent = (facts.exam as { percent: number } | null)?.percent;
        // The pass mark is judged on the score itself, not on its rounded percentage (49.996 of 100 fails 50 %).
        const below = e.examScore !== null && e.examScore * 100 < call.exam.passMark * call.exam.maxScore;
        const reason = percent === undefined ? CompetitionReasons.examAbsent : below ? CompetitionReasons.belowPassMark : undefined;
        if (reason) {
          await setEntry(tx, e.applicationId, { status: 'refused', reason });
          verdicts.push(refuse(e, finalStage, reason));
        } else passed.push(e);
      }
      const ranking = rankByUniversity(call, passed);
      const scoreless = passed.filter((e) => ranking.get(e.applicationId)!.total === null);
      for (const e of scoreless) {
        await setEntry(tx, e.applicationId, { status: 'refused', reason: CompetitionReasons.scoreUnavailable });
        verdicts.push(refuse(e, finalStage, CompetitionReasons.scoreUnavailable));
      }
      const pool = passed.filter((e) => !scoreless.includes(e));
      const multiple = call.interview?.multiple ?? 1;
      // Without interviews the exam ranking is the final one: no shortlist is recorded.
      const { chosen, rest } = await rankAndAllocate(tx, call, pool, (capacity) => capacity * multiple, finalStage);
      for (const r of chosen) {
        await setEntry(tx, r.id, call.interview ? { status: 'shortlisted', invited: true } : { status: 'selected' });
        verdicts.push({ applicationId: r.id, stage: finalStage, verdict: 'advance' });
      }
      for (const r of rest) await setEntry(tx, r.id, { status: call.interview ? 'waitlisted' : 'reserve' });
      return { verdicts, pending: chosen.length, stage: call.interview ? 'interviews' : 'reserves' };
    },

    async 'refill-interviews'(tx, _callId, call, entries) {
      await dropWithdrawn(tx, entries);
      const verdicts: CallVerdict[] = [];
      for (const [university, { capacity }] of Object.entries(call.universities)) {
        const mine = entries.filter((e) => e.university === university);
        const taken = mine.filter((e) => e.invited && e.reason !== CompetitionReasons.withdrawn).length;
        const waiting = mine.filter((e) => running(e) && e.status === 'waitlisted').sort((a, b) => a.shortlistRank! - b.shortlistRank!);
        for (const e of waiting.slice(0, Math.max(0, capacity * (call.interview?.multiple ?? 1) - taken))) {
          await setEntry(tx, e.applicationId, { status: 'shortlisted', invited: true });
          e.status = 'shortlisted';
          verdicts.push(advance(e, 'shortlist'));
        }
      }
      return { verdicts, pending: entries.filter((e) => running(e) && e.status === 'shortlisted').length };
    },

    async 'close-interviews'(tx, _callId, _call, entries, stage) {
      const verdicts: CallVerdict[] = [];
      for (const e of entries.filter(running)) {
        const reason = e.status === 'shortlisted' ? CompetitionReasons.interviewNotHeld : e.status === 'waitlisted' ? CompetitionReasons.notShortlisted
          : e.status === 'refused' && (e.reason === CompetitionReasons.interviewNotHeld || e.reason === CompetitionReasons.notShortlisted) ? e.reason : undefined;
        if (!reason) continue;
        if (stage === 'interviews') await setEntry(tx, e.applicationId, { status: 'refused', reason });
        verdicts.push(refuse(e, e.status === 'shortlisted' ? 'final' : 'shortlist', reason));
      }
      return { verdicts, pending: 0 };
    },

    async final(tx, _callId, call, entries, stage) {
      if (stage !== 'interviews') {
        return { verdicts: entries.filter((e) => running(e) && e.status === 'selected').map((e) => advance(e, 'final')), pending: 0 };
      }
      const pool = entries.filter((e) => running(e) && e.status === 'interviewed');
      const { chosen, rest } = await rankAndAllocate(tx, call, pool, (capacity) => capacity, 'final');
      for (const r of chosen) await setEntry(tx, r.id, { status: 'selected' });
      for (const r of rest) await setEntry(tx, r.id, { status: 'reserve' });
      return { verdicts: chosen.map((r) => ({ applicationId: r.id, stage: 'final', verdict: 'advance' }) as CallVerdict), pending: chosen.length, stage: 'reserves' };
    },

    async 'refill-reserves'(tx, _callId, call, entries) {
      await dropWithdrawn(tx, entries);
      const verdicts: CallVerdict[] = [];
      for (const [university, { capacity }] of Object.entries(call.universities)) {
        const mine = entries.filter((e) => e.university === university);
        // A selected applicant whose application ended without a licence gives the place up.
        const holding = mine.filter((e) => e.status === 'selected' && (e.applicationStatus === 'running' || e.applicationStatus === 'approved')).length;
        const reserves = mine.filter((e) => running(e) && e.status === 'reserve').sort((a, b) => a.finalRank! - b.finalRank!);
        for (const e of reserves.slice(0, Math.max(0, capacity - holding))) {
          await setEntry(tx, e.applicationId, { status: 'selected' });
          e.status = 'selected';
          verdicts.push(advance(e, 'final'));
        }
      }
      return { verdicts, pending: entries.filter((e) => running(e) && e.status === 'selected').length };
    },

    async 'close-reserves'(tx, _callId, _call, entries, stage) {
      const left = entries.filter((e) => running(e) && (e.status === 'reserve' || (e.status === 'refused' && e.reason === CompetitionReasons.notSelected)));
      if (stage === 'reserves') for (const e of left) await setEntry(tx, e.applicationId, { status: 'refused', reason: CompetitionReasons.notSelected });
      return { verdicts: left.map((e) => refuse(e, 'final', CompetitionReasons.notSelected)), pending: 0, stage: 'closed' };
    },
  };

  return {
    /**
     * An application arrives at a cohort step: documents accepted (shortlist, or final without
     * interviews) or interview passed (final). Answers the verdict already known, if any.
     */
    async joinCohort(input: { applicationId: string; stage: 'shortlist' | 'final'; facts: Facts; at: string; interviews: boolean }): Promise<{ verdict: 'advance' | 'refuse' | 'wait'; reason?: string; standing?: unknown }> {
      return db.transaction(async (tx) => {
        const [found] = await tx.select().from(competitionEntries).where(eq(competitionEntries.applicationId, input.applicationId));
        if (!found) throw new Error(`application ${input.applicationId} stands in no call`);
        const call = await lockCall(tx, found.callId);
        const [entry] = await tx.select().from(competitionEntries).where(eq(competitionEntries.applicationId, input.applicationId)).for('update');
        let { status, reason } = entry!;
        const joinsCohort = input.stage === 'shortlist' || !input.interviews;
        if (joinsCohort && status === 'registered') {
          const late = call.stage !== 'registration' || Date.parse(input.at) >= call.documentsDueAt.getTime();
          [status, reason] = late ? ['refused', CompetitionReasons.lateDocuments] : ['eligible', null];
          await setEntry(tx, input.applicationId, { status, reason, ...(late ? {} : { facts: input.facts }) });
        } else if (!joinsCohort && status === 'shortlisted') {
          status = 'interviewed';
          await setEntry(tx, input.applicationId, { status, facts: input.facts });
        }
        const standing = { university: entry!.university, ...(entry!.standing as object | null), shortlistRank: entry!.shortlistRank, finalRank: entry!.finalRank };
        if (status === 'refused') return { verdict: 'refuse', reason: reason ?? undefined, standing };
        const advanced = input.stage === 'shortlist' ? ['shortlisted', 'interviewed', 'selected', 'reserve'].includes(status) : status === 'selected';
        return { verdict: advanced ? 'advance' : 'wait', standing };
      });
    },

    /** Runs one transition of the call; returns the verdicts to signal and how many applicants it still waits for. */
    async advanceCall(input: { callId: string; transition: CallTransition; call: CallSection }): Promise<{ verdicts: CallVerdict[]; pending: number }> {
      // The stage, the published ranking's notice and the audit entry together: a retry after a
      // crash finds the stage moved and would otherwise never tell the portal or the trail.
      const result = await db.transaction(async (tx) => {
        const call = await lockCall(tx, input.callId);
        const entries = await loadEntries(tx, input.callId);
        const outcome = await transitions[input.transition](tx, input.callId, input.call, entries, call.stage);
        const moved = outcome.stage && call.stage !== outcome.stage && call.stage !== 'closed';
        if (moved) await setStage(tx, input.callId, outcome.stage!);
        const advanced = outcome.verdicts.filter((v) => v.verdict === 'advance').length;
        if (moved && (input.transition === 'shortlist' || input.transition === 'final')) {
          // A call without interviews publishes its final ranking at the exam results.
          const published = input.transition === 'shortlist' && input.call.interview ? 'shortlist' : 'final';
          // The outbox's subject lock before the trail's, as every other writer takes them.
          await enqueueNotification(tx as unknown as Database, {
            dedupeKey: `${input.callId}:${input.transition}`, subject: input.callId,
            event: published === 'shortlist' ? 'call-shortlist-published' : 'call-final-ranking-published',
            payload: { callId: input.callId, stage: published, advanced },
          });
        }
        if (moved || outcome.verdicts.length > 0) {
          const counts = { advanced, refused: outcome.verdicts.filter((v) => v.verdict === 'refuse').length };
          await appendAudit(tx as unknown as Database, { actor: 'workflow', action: `call.${input.transition}`, subjectType: 'call', subjectId: input.callId, detail: counts });
        }
        return outcome;
      });
      return { verdicts: result.verdicts, pending: result.pending };
    },
  };
}

export type CallActivities = ReturnType<typeof createCompetitionActivities>;
