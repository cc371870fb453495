/**
 * Runs an `amend`: asks the register to change the licence the process is about; a change the
 * licence's state no longer allows leads to `otherwise`, or ends the process rejected.
 */
import { resolveDeadline } from '../../dsl/calendar.js';
import { factsAt } from '../../dsl/facts.js';
import { isoAt, now, parseIso } from '../clock.js';
import { pokeOutbox } from '../outbox-poke.js';
import { licenceNumberOf, type StepRunner } from './context.js';
import { valueOf } from './evaluation.js';

export const runAmend: StepRunner<'amend'> = async (ctx, id, step) => {
  const licence = (ctx.state.facts.licence ?? {}) as { number: string; validUntil?: string };
  licenceNumberOf(ctx, id);
  let validUntil: string | undefined;
  if (step.action === 'renew') {
    const current = licence.validUntil ? parseIso(licence.validUntil) : now();
    validUntil = isoAt(resolveDeadline(step.validity, Math.max(current, now()), ctx.calendar));
  }
  const change = (ctx.state.facts.change ?? {}) as Record<string, unknown>;
  const holder = step.action === 'transfer' ? newHolder(valueOf(factsAt(ctx.state.facts, now(), ctx.reckoning), id, 'holder', step.holder)) : undefined;
  const result = await ctx.db.amendLicence(
    {
      number: licence.number, action: step.action, validUntil, applicationId: ctx.applicationId, grounds: typeof change.grounds === 'string' ? change.grounds : undefined,
      dependents: 'dependents' in step ? step.dependents : undefined, holder,
    },
    ctx.event('licence-amended', id, { number: licence.number, action: step.action, validUntil: validUntil ?? null }),
  );
  ctx.state.facts.licence = { ...licence, status: result.status, validUntil: result.validUntil, ...(result.applied && holder ? { holderNationalCode: holder.nationalCode } : {}) };
  if (step.saveAs) ctx.state.facts[step.saveAs] = { applied: result.applied, status: result.status, refusal: result.refusal ?? null };
  if (result.applied) await pokeOutbox();
  // Another change got there first (e.g. a revocation while a renewal waited for its site visit).
  if (!result.applied) return step.otherwise ? { next: step.otherwise } : { end: { outcome: 'rejected', reason: 'LICENCE_STATE_CHANGED', stepId: id } };
  return { next: step.next };
};

/**
 * The new holder a `transfer` names: a person (`change.successor`, whom the register then shows,
 * and later changes vet and notify) or a bare national code.
 */
function newHolder(value: unknown): { nationalCode: string; person: Record<string, unknown> | null } {
  if (typeof value === 'string') return { nationalCode: value, person: null };
  const person = (value ?? {}) as Record<string, unknown>;
  return { nationalCode: typeof person.nationalCode === 'string' ? person.nationalCode : '', person };
}
