/**
 * Supervision of licensed centres (seed 002 Art. 10, 15; seed 004): the holder's self-assessment
 * through the portal; inspections by county, province and national supervisors; and the reports of
 * guild (صنفی و شبه صنفی), stakeholder (ذی نفعان) and expert (نخبگانی) supervisors, who hold no role
 * of their own, recorded on their behalf by the county or province office that received them. A
 * visit records each standing rule of the licence's checklist (Art. 8); a failed rule is a
 * violation, which a county or the national office reports to the licence's province
 * (`violation-report`), and a province may answer with a suspension or a revocation.
 */
import { desc, eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { supervisionRecords } from '../db/schema/index.js';
import { appendAudit } from '../domain/audit.js';
import type { ServiceContext } from './context.js';
import { conflict, firstIssueProblem, forbidden, invalid } from './errors.js';
import { typedText } from './free-text.js';
import { typedInput } from './identifiers.js';
import { startLicenceChange } from './licence-changes.js';
import { licenceInScope } from './licences.js';
import { checklistFor, type ChecklistItem } from './supervision-checklist.js';

const text = (max: number, paragraph = true) => typedText({ paragraph, min: 3, max });

export const SUPERVISION_KINDS = ['self-assessment', 'inspection', 'guild-review', 'stakeholder-report', 'expert-review'] as const;
type SupervisionKind = (typeof SUPERVISION_KINDS)[number];
type Level = 'self' | 'county' | 'province' | 'national' | 'guild' | 'stakeholder' | 'expert';

/** The reports of supervisors who hold no role in Parvaneh, and their level (seed 004). */
const EXTERNAL: Partial<Record<SupervisionKind, Level>> = { 'guild-review': 'guild', 'stakeholder-report': 'stakeholder', 'expert-review': 'expert' };

/** A supervision as its supervisor records it. */
export const SupervisionInput = z.object({
  kind: z.enum(SUPERVISION_KINDS),
  visitedOn: typedInput.date(),
  result: z.enum(['compliant', 'minor-violation', 'major-violation']),
  findings: z.array(z.object({ code: z.string().regex(/^[a-z][a-z0-9-]*$/), description: text(2000) }).strict()).max(50).default([]),
  /** Each standing rule checked: the rule id, pass or fail, and a note (required when failed). */
  checklist: z.array(z.object({
    item: z.string().regex(/^[a-z][a-z0-9.-]*$/),
    result: z.enum(['pass', 'fail']),
    note: text(1000).optional(),
  }).strict()).max(50).default([]),
  /** Who reported, for a guild, stakeholder or expert report: the association, body or person, and their letter. */
  source: z.object({ name: text(200, false), reference: text(200, false).optional() }).strict().optional(),
  /** The change the finding opens: a violation report (county, national) or a suspension or revocation (province). */
  opens: z.enum(['violation-report', 'suspension', 'revocation']).optional(),
  /** The article applied, required when the finding opens a change. */
  legalBasis: text(500, false).optional(),
}).strict();

export type SupervisionInput = z.input<typeof SupervisionInput>;
type Supervision = z.output<typeof SupervisionInput>;

/**
 * The level a supervisor acts at: the holder assesses itself through the portal; offices inspect
 * at their own level; a guild, stakeholder or expert report is recorded by a county or province
 * office (Art. 15: the county supervises; Art. 14: the province's working group hears the guilds).
 */
function levelOf(ctx: ServiceContext, kind: SupervisionKind): Level {
  const { role } = ctx.actor;
  if (kind === 'self-assessment') {
    if (role !== 'portal') throw forbidden('a self-assessment is filed by the holder through the national portal');
    return 'self';
  }
  const external = EXTERNAL[kind];
  if (external) {
    if (role !== 'county-office' && role !== 'province-office') throw forbidden(`a ${kind} is recorded on its author's behalf by the county or province office that received it`);
    return external;
  }
  if (role === 'county-office') return 'county';
  if (role === 'province-office') return 'province';
  if (role === 'national-office') return 'national';
  throw forbidden('inspections are recorded by county, province and national supervisors');
}

/**
 * Judges the checklist against the licence's: no unknown or repeated item, a note for each failed
 * one, every item on an office's inspection (a visit records each), and no failed item in a
 * compliant result. Returns the items that failed.
 */
function judgeChecklist(record: Supervision, items: readonly ChecklistItem[]): ChecklistItem[] {
  const known = new Map(items.map((i) => [i.id, i]));
  const seen = new Set<string>();
  record.checklist.forEach((entry, i) => {
    if (!known.has(entry.item)) {
      throw invalid('invalid-field', `checklist.${i}.item`, { fa: 'مورد ناشناخته در فهرست نظارت', en: 'not an item of this licence\'s checklist' },
        `checklist.${i}.item: ${entry.item} is not on the checklist of this licence (${items.map((x) => x.id).join(', ') || 'none'})`);
    }
    if (seen.has(entry.item)) throw invalid('invalid-field', `checklist.${i}.item`, { fa: 'مورد تکراری در فهرست نظارت', en: 'checklist item recorded twice' }, `checklist.${i}.item: ${entry.item} is recorded twice`);
    seen.add(entry.item);
    if (entry.result === 'fail' && !entry.note) throw invalid('missing-field', `checklist.${i}.note`, { fa: 'شرح مورد ناموفق لازم است', en: 'a failed item needs a note' }, `checklist.${i}.note: required when the item fails`);
  });
  if (record.kind === 'inspection') {
    const missing = items.filter((i) => !seen.has(i.id));
    if (missing.length > 0) {
      throw invalid('missing-field', 'checklist', { fa: 'همه موارد فهرست نظارت باید ثبت شود', en: 'an inspection records every checklist item' },
        `checklist: an inspection records every item; missing ${missing.map((m) => m.id).join(', ')}`);
    }
  }
  const failed = record.checklist.filter((e) => e.result === 'fail').map((e) => known.get(e.item)!);
  if (failed.length > 0 && record.result === 'compliant') {
    throw invalid('invalid-field', 'result', { fa: 'با وجود مورد ناموفق، نتیجه نمی‌تواند «منطبق» باشد', en: 'a failed checklist item is a violation, not compliant' },
      `result: ${failed.map((f) => f.id).join(', ')} failed`);
  }
  return failed;
}

/**
 * What the record opens: what the supervisor asked for, or, for a failed standing rule found by a
 * county or the national office, the violation report to the province (Art. 15: the county reports
 * violations); the holder's self-assessment and a province's record open nothing by themselves.
 */
function changeToOpen(ctx: ServiceContext, record: Supervision, failed: ChecklistItem[]) {
  const legalBasisOfFailed = failed.length > 0 ? failed.map((f) => `${f.id} (${f.source})`).join('; ') : undefined;
  if (record.opens) return { opens: record.opens, legalBasis: record.legalBasis ?? legalBasisOfFailed };
  const reports = ctx.actor.role === 'county-office' || ctx.actor.role === 'national-office';
  if (failed.length > 0 && reports) return { opens: 'violation-report' as const, legalBasis: record.legalBasis ?? legalBasisOfFailed };
  return undefined;
}

/** Records a supervision against a licence and opens the change its finding calls for. */
export async function recordSupervision({ ctx, licenceNumber, input }: { ctx: ServiceContext; licenceNumber: string; input: unknown }) {
  const parsed = SupervisionInput.safeParse(input);
  if (!parsed.success) throw firstIssueProblem(parsed.error, input);
  const record = parsed.data;
  const { deps, actor } = ctx;
  const { licence } = await licenceInScope(ctx, licenceNumber);
  const level = levelOf(ctx, record.kind);
  const external = EXTERNAL[record.kind] !== undefined;
  if (external && !record.source) throw invalid('missing-field', 'source', { fa: 'گزارش‌دهنده لازم است', en: 'who reported is required' }, `source: a ${record.kind} names who reported it`);
  if (!external && record.source) throw invalid('unknown-field', 'source', { fa: 'فیلد ناشناخته', en: 'unknown field' }, `source: only a guild, stakeholder or expert report names its source`);
  const failed = judgeChecklist(record, checklistFor(licence));
  const opening = changeToOpen(ctx, record, failed);
  if (opening) {
    if (record.result === 'compliant') throw conflict('nothing-to-open', { fa: 'یافته‌ای برای اقدام نیست', en: 'a compliant finding opens nothing' });
    if (record.findings.length === 0 && failed.length === 0) throw invalid('invalid-field', 'findings', { fa: 'یافته‌ها لازم است', en: 'findings are required' }, 'a finding that opens a change names its violations');
    if (!opening.legalBasis) throw invalid('invalid-field', 'legalBasis', { fa: 'مبنای قانونی لازم است', en: 'a legal basis is required' }, 'legalBasis: required when the finding opens a change');
  }
  const id = randomUUID();
  await deps.db.insert(supervisionRecords).values({
    id, licenceNumber: licence.number, kind: record.kind, level, visitedOn: record.visitedOn, result: record.result,
    findings: record.findings, checklist: record.checklist, source: record.source ?? null, opened: opening?.opens ?? null, recordedBy: actor.subject,
  });
  let change: Awaited<ReturnType<typeof startLicenceChange>> | undefined;
  if (opening) {
    const violations = [
      ...record.findings.map((f) => f.description),
      ...failed.map((f) => `${f.id}: ${record.checklist.find((e) => e.item === f.id)!.note}`),
    ];
    const grounds = `${record.kind} of ${record.visitedOn}: ${violations.join('; ')}`.slice(0, 2000);
    try {
      change = await startLicenceChange({ ctx, licenceNumber: licence.number, change: opening.opens, input: { grounds, legalBasis: opening.legalBasis!.slice(0, 500) } });
    } catch (error) {
      // A finding that could not open its change (not this office's, another in progress) is not kept half-done.
      await deps.db.delete(supervisionRecords).where(eq(supervisionRecords.id, id));
      throw error;
    }
    await deps.db.update(supervisionRecords).set({ changeApplicationId: change.applicationId }).where(eq(supervisionRecords.id, id));
  }
  await appendAudit(deps.db, {
    actor: actor.subject, action: 'supervision.recorded', subjectType: 'licence', subjectId: licence.number,
    detail: {
      recordId: id, kind: record.kind, level, result: record.result, findings: record.findings.map((f) => f.code),
      failedItems: failed.map((f) => f.id), opens: opening?.opens ?? null, changeApplicationId: change?.applicationId ?? null,
    },
  });
  return { ...(await supervisionRecord(ctx, id))!, change: change ?? null };
}

type Finding = { code: string; description: string };
type ChecklistEntry = { item: string; result: 'pass' | 'fail'; note?: string };
const typed = (row: typeof supervisionRecords.$inferSelect) => {
  const checklist = row.checklist as ChecklistEntry[];
  return {
    ...row, findings: row.findings as Finding[], checklist, source: row.source as { name: string; reference?: string } | null,
    failedItems: checklist.filter((e) => e.result === 'fail').map((e) => e.item),
  };
};

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
    .where(eq(supervisionRecords.licenceNumber, licence.number)).orderBy(desc(supervisionRecords.recordedAt));
  return rows.map(typed);
}

/** The checklist a supervision of this licence records, item by item. */
export async function supervisionChecklist({ ctx, licenceNumber }: { ctx: ServiceContext; licenceNumber: string }) {
  const { licence } = await licenceInScope(ctx, licenceNumber);
  if (ctx.actor.role === 'integrator') throw forbidden(`licence ${licence.number} is outside your scope`);
  return checklistFor(licence).map((item) => ({ ...item, followedBy: item.followedBy ?? null }));
}
