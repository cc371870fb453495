/**
 * Checks of a competitive call (`kind: call`) the schema cannot make: the cohort steps the call's
 * stages need, its expressions, its dates, a county claimed by two universities, and a last
 * tie-breaker that separates every two applicants.
 */
import { parseJalaliParts, jalaliToDayNumber } from '../platform/dates/jalali.js';
import { checkExpression } from './expressions.js';
import type { Path } from './parse.js';
import type { ProcessDefinition } from './schema.js';

/** Keys unique to each application: a tie-breaker list must end with one of them. */
export const UNIQUE_KEYS = ['application.trackingCode', 'application.id'] as const;

type Report = (path: Path, code: string, message: string, key?: boolean) => void;

/** Runs the call checks; `facts` are the facts the file's steps save (and its inputs). */
export function validateCall(definition: ProcessDefinition, facts: string[], report: Report): void {
  const cohortSteps = Object.entries(definition.steps).filter(([, s]) => s.type === 'cohort');
  const call = definition.call;
  if (definition.kind !== 'call') {
    if (call) report(['call'], 'cohort-outside-call', `a call section belongs to a definition of kind call, not ${definition.kind}`, true);
    for (const [id] of cohortSteps) report(['steps', id, 'type'], 'cohort-outside-call', `cohort step "${id}" is only allowed in a definition of kind call`);
    return;
  }
  if (!call) {
    report(['kind'], 'missing-field', 'a definition of kind call needs a call section');
    return;
  }

  const seen = new Map<string, string>();
  for (const [id, step] of cohortSteps) {
    if (step.type !== 'cohort') continue;
    const earlier = seen.get(step.stage);
    if (earlier) report(['steps', id, 'stage'], 'duplicate-cohort-stage', `steps "${earlier}" and "${id}" both wait for the ${step.stage} ranking`);
    else seen.set(step.stage, id);
  }
  if (!seen.has('final')) report(['steps'], 'missing-cohort-stage', 'a call needs a cohort step with stage: final, where applicants wait for the final ranking', true);
  if (call.interview && !seen.has('shortlist')) {
    report(['call', 'interview'], 'missing-cohort-stage', 'a call with interviews needs a cohort step with stage: shortlist, where applicants wait to be invited', true);
  }
  if (!call.interview && seen.has('shortlist')) {
    report(['steps', seen.get('shortlist')!, 'stage'], 'missing-cohort-stage', 'a shortlist step needs call.interview (the multiple of each university\'s need to invite)');
  }

  const cohortFacts = [...facts, 'exam'];
  const expression = (expr: string, path: Path, known: string[]) => {
    const error = checkExpression(expr, known);
    if (error) report(path, 'invalid-expression', `call: expression "${expr}": ${error}`);
  };
  expression(call.score, ['call', 'score'], cohortFacts);
  call.bonus.forEach((b, i) => expression(b.when, ['call', 'bonus', i, 'when'], cohortFacts));
  call.tieBreakers.forEach((t, i) => expression(t.key, ['call', 'tieBreakers', i, 'key'], [...cohortFacts, 'score', 'bonus', 'total']));
  call.documents.forEach((d, i) => { if (d.requiredWhen) expression(d.requiredWhen, ['call', 'documents', i, 'requiredWhen'], []); });

  const last = call.tieBreakers[call.tieBreakers.length - 1]!;
  if (!(UNIQUE_KEYS as readonly string[]).includes(last.key.trim())) {
    report(['call', 'tieBreakers', call.tieBreakers.length - 1, 'key'], 'ambiguous-tie-break',
      `the last tie-breaker "${last.key}" may be equal for two applicants; end the list with ${UNIQUE_KEYS.join(' or ')}`);
  }

  const days: Record<string, number | undefined> = {};
  for (const field of ['opens', 'closes'] as const) {
    const parts = parseJalaliParts(call.registration[field]);
    if (!parts) report(['call', 'registration', field], 'invalid-date', `call registration ${field} "${call.registration[field]}" is not a Jalali date`);
    else days[field] = jalaliToDayNumber(parts.jy, parts.jm, parts.jd) * 1440 + parts.hour * 60 + parts.minute;
  }
  if (days.opens !== undefined && days.closes !== undefined && days.closes <= days.opens) {
    report(['call', 'registration', 'closes'], 'invalid-window', 'registration closes before it opens');
  }

  const universityOf = new Map<string, string>();
  for (const [university, { counties }] of Object.entries(call.universities)) {
    counties.forEach((county, i) => {
      const other = universityOf.get(county);
      if (other) report(['call', 'universities', university, 'counties', i], 'duplicate-county', `county "${county}" is covered by both ${other} and ${university}`);
      else universityOf.set(county, university);
    });
  }
  if (universityOf.size === 0) report(['call', 'universities'], 'missing-field', 'a call needs at least one university with a capacity');

  const documentIds = new Set<string>();
  call.documents.forEach((d, i) => {
    if (documentIds.has(d.id)) report(['call', 'documents', i, 'id'], 'duplicate-document', `document "${d.id}" is listed twice`);
    documentIds.add(d.id);
  });
}
