/**
 * Supervision of licensed centres (Art. 10, 15): the holder's self-assessment through the portal,
 * and inspections by county, province and national supervisors, recorded against a licence. A
 * finding can open a change: a county or the national office reports the violation to the
 * licence's province, a province opens a suspension or a revocation, each its lifecycle process
 * with due process.
 */
import { and, desc, eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { supervisionRecords } from '../db/schema/index.js';
import { appendAudit } from '../domain/audit.js';
import type { ServiceContext } from './context.js';
import { conflict, firstIssueProblem, forbidden, invalid } from './errors.js';
import { lineOfText, paragraphText } from './free-text.js';
import { normaliseText } from './identifiers.js';
import { startLicenceChange } from './licence-changes.js';
import { licenceInScope } from './licences.js';

const text = (max: number, kind: typeof lineOfText = paragraphText) => kind().transform(normaliseText).pipe(z.string().min(3).max(max));

/** A supervision as its supervisor records it. */
export const SupervisionInput = z.object({
  kind: z.enum(['self-assessment', 'inspection']),
  visitedOn: z.string().transform(normaliseText).pipe(z.iso.date()),
  result: z.enum(['compliant', 'minor-violation', 'major-violation']),
  findings: z.array(z.object({ code: z.string().regex(/^[a-z][a-z0-9-]*$/), description: text(2000) }).strict()).max(50).default([]),
  /** The change the finding opens: a violation report (county) or a suspension or revocation (province). */
  opens: z.enum(['violation-report', 'suspension', 'revocation']).optional(),
  /** The article applied, required when the finding opens a change. */
  legalBasis: text(500, lineOfText).optional(),
}).strict();

export type SupervisionInput = z.input<typeof SupervisionInput>;

/** The level a supervisor acts at: the holder assesses itself through the portal; offices inspect. */
function levelOf(ctx: ServiceContext, kind: 'self-assessment' | 'inspection'): 'self' | 'county' | 'province' | 'national' {
  const { role } = ctx.actor;
  if (kind === 'self-assessment') {
    if (role !== 'portal') throw forbidden('a self-assessment is filed by the holder through the national portal');
    return 'self';
  }
  if (role === 'county-office') return 'county';
  if (role === 'province-office') return 'province';
  if (role === 'national-office') return 'national';
  throw forbidden('inspections are recorded by county, province and national supervisors');
}

/** Records a supervision against a licence and opens the change its finding calls for. */
export async function recordSupervision({ ctx, licenceNumber, input }: { ctx: ServiceContext; licenceNumber: string; input: unknown }) {
  const parsed = SupervisionInput.safeParse(input);
  if (!parsed.success) throw firstIssueProblem(parsed.error, input);
  const record = parsed.data;
  const { deps, actor } = ctx;
  const { licence } = await licenceInScope(ctx, licenceNumber);
  const level = levelOf(ctx, record.kind);
  if (record.opens) {
    if (record.result === 'compliant') throw conflict('nothing-to-open', { fa: 'یافته‌ای برای اقدام نیست', en: 'a compliant finding opens nothing' });
    if (record.findings.length === 0) throw invalid('invalid-field', 'findings', { fa: 'یافته‌ها لازم است', en: 'findings are required' }, 'a finding that opens a change names its violations');
    if (!record.legalBasis) throw invalid('invalid-field', 'legalBasis', { fa: 'مبنای قانونی لازم است', en: 'a legal basis is required' }, 'legalBasis: required when the finding opens a change');
  }
  const id = randomUUID();
  await deps.db.insert(supervisionRecords).values({
    id, licenceNumber: licence.number, kind: record.kind, level, visitedOn: record.visitedOn, result: record.result,
    findings: record.findings, opened: record.opens ?? null, recordedBy: actor.subject,
  });
  let change: Awaited<ReturnType<typeof startLicenceChange>> | undefined;
  if (record.opens) {
    const grounds = `${record.kind} of ${record.visitedOn}: ${record.findings.map((f) => f.description).join('; ')}`.slice(0, 2000);
    try {
      change = await startLicenceChange({ ctx, licenceNumber: licence.number, change: record.opens, input: { grounds, legalBasis: record.legalBasis } });
    } catch (error) {
      // A finding that could not open its change (not this office's, another in progress) is not kept half-done.
      await deps.db.delete(supervisionRecords).where(eq(supervisionRecords.id, id));
      throw error;
    }
    await deps.db.update(supervisionRecords).set({ changeApplicationId: change.applicationId }).where(eq(supervisionRecords.id, id));
  }
  await appendAudit(deps.db, {
    actor: actor.subject, action: 'supervision.recorded', subjectType: 'licence', subjectId: licence.number,
    detail: { recordId: id, kind: record.kind, level, result: record.result, findings: record.findings.map((f) => f.code), opens: record.opens ?? null, changeApplicationId: change?.applicationId ?? null },
  });
  return { ...(await supervisionRecord(ctx, id))!, change: change ?? null };
}

type Finding = { code: string; description: string };
const typed = (row: typeof supervisionRecords.$inferSelect) => ({ ...row, findings: row.findings as Finding[] });

async function supervisionRecord(ctx: ServiceContext, id: string) {
  const [row] = await ctx.deps.db.select().from(supervisionRecords).where(eq(supervisionRecords.id, id));
  return row ? typed(row) : undefined;
}

/** The supervisions of a licence in the caller's scope, newest first. */
export async function listSupervision({ ctx, licenceNumber }: { ctx: ServiceContext; licenceNumber: string }) {
  const { deps, actor } = ctx;
  const { licence } = await licenceInScope(ctx, licenceNumber);
  if (actor.role === 'integrator') throw forbidden(`licence ${licence.number} is outside your scope`);
  const rows = await deps.db.select().from(supervisionRecords)
    .where(and(eq(supervisionRecords.licenceNumber, licence.number))).orderBy(desc(supervisionRecords.recordedAt));
  return rows.map(typed);
}
