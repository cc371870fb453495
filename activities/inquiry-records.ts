/**
 * The audit record of an inquiry on its `inquiries` row: who asked and why (written once), how
 * many calls it took, why the last one failed, and what came back. Retries share the row.
 */
import { and, eq, notInArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { inquiries } from '../db/schema/index.js';
import type { Text } from '../dsl/schema.js';
import { traceHeaders } from '../platform/tracing.js';

/** The facts of an inquiry, as first recorded. */
export interface InquiryRecord {
  inquiryId: string;
  applicationId: string;
  stepId: string;
  registry: string;
  nationalCode: string;
  /** Why we ask (recorded, and sent to the registry in English). */
  purpose?: Text;
  requestedBy: string;
  deadlineAt: string;
}

/** Records a call about to be made: the row on the first attempt, one more attempt on each retry. */
export async function recordAttempt(db: Database, inquiry: InquiryRecord): Promise<void> {
  await db.insert(inquiries).values({
    id: inquiry.inquiryId, applicationId: inquiry.applicationId, stepId: inquiry.stepId,
    registry: inquiry.registry, subjectNationalCode: inquiry.nationalCode, purpose: inquiry.purpose ?? null,
    requestedBy: inquiry.requestedBy, status: 'sent', deadlineAt: new Date(inquiry.deadlineAt), attempts: 1,
    // The sending activity's trace (tracing on), for a callback that brings none back.
    traceParent: traceHeaders().traceparent ?? null,
  }).onConflictDoUpdate({ target: inquiries.id, set: { attempts: sql`${inquiries.attempts} + 1` } });
}

/** Records why the last call failed, in the words of the failure. */
export async function recordFailure(db: Database, inquiryId: string, reason: string): Promise<void> {
  await db.update(inquiries).set({ lastError: reason }).where(eq(inquiries.id, inquiryId));
}

/**
 * Records that an async registry took the inquiry. Its callback may have come first, so only a
 * row still `sent` becomes `accepted`; the failure is cleared either way, since this call worked.
 */
export async function recordAccepted(db: Database, inquiryId: string): Promise<void> {
  await db.update(inquiries).set({
    lastError: null,
    status: sql`case when ${inquiries.status} = 'sent' then 'accepted' else ${inquiries.status} end`,
  }).where(eq(inquiries.id, inquiryId));
}

/**
 * Records a synchronous answer. A row the workflow already timed out stays timed out: the
 * process has moved on, and a sync registry never calls back with a late answer.
 */
export async function recordAnswer(db: Database, inquiryId: string, answer: Record<string, unknown>): Promise<void> {
  await db.update(inquiries).set({ status: 'answered', answer, answeredAt: sql`now()`, lastError: null })
    .where(and(eq(inquiries.id, inquiryId), notInArray(inquiries.status, ['timed-out', 'late-answered'])));
}

