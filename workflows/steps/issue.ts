/**
 * Runs an `issue`: the register issues the licence (ending those it supersedes, taking on those it
 * adopts), the `licences` fact records it, and each standing process of its kind starts beside it.
 */
import { patched } from '@temporalio/workflow';
import { resolveDeadline } from '../../dsl/calendar.js';
import { evaluate } from '../../dsl/expressions.js';
import { factsAt } from '../../dsl/facts.js';
import type { IssuedLicence } from '../../domain/workflow-interfaces/licence-process.js';
import { isoAt, now } from '../clock.js';
import { pokeOutbox } from '../outbox-poke.js';
import { applicationOf, type StepContext, type StepRunner } from './context.js';
import { ExpressionFault, kindOf, valueOf } from './evaluation.js';

export const runIssue: StepRunner<'issue'> = async (ctx, id, step) => {
  const kind = ctx.definition.licences[step.licence]!;
  const app = applicationOf(ctx);
  const applicant = (ctx.state.facts.applicant ?? {}) as Record<string, string>;
  const issuedAt = now();
  const validUntil = resolveDeadline(kind.validity, issuedAt, ctx.calendar);
  const dependsOn = step.dependsOn ? optional(ctx, step.dependsOn) : undefined;
  // Judged before the issue: a file at fault issues nothing.
  const adopted = step.adopts !== undefined && patched(ISSUE_ADOPTS) ? adoptedNumbers(ctx, id, step.adopts) : undefined;
  const { number } = await ctx.db.issueLicence({
    applicationId: ctx.applicationId, kind: step.licence, title: kind.title, licenceType: ctx.definition.id,
    numberPrefix: kind.numberPrefix, holderNationalCode: applicant.nationalCode ?? '', holder: applicant, county: app.county ?? '',
    province: app.province ?? '', issuedAt: isoAt(issuedAt), validUntil: isoAt(validUntil), definitionHash: ctx.definitionHash,
    dependsOn: typeof dependsOn === 'string' ? dependsOn : undefined, supersedes: step.supersedes,
  }, ctx.event('licence-issued', id, { kind: step.licence, validUntil: isoAt(validUntil) }));
  if (step.supersedes) await pokeOutbox();
  if (adopted && adopted.length > 0) {
    await ctx.db.adoptLicences({ number, adopt: adopted, applicationId: ctx.applicationId }, ctx.event('licences-adopted', id, { number }));
  }
  const licences = (ctx.state.facts.licences ?? {}) as Record<string, IssuedLicence>;
  licences[step.licence] = { number, kind: step.licence, issuedAt: isoAt(issuedAt), validUntil: isoAt(validUntil) };
  ctx.state.facts.licences = licences;
  for (const processId of kind.standing) {
    await ctx.hooks.startStanding(processId, {
      ...licences[step.licence]!, licenceType: ctx.definition.id, status: 'active',
      holderNationalCode: applicant.nationalCode ?? '', dependsOn: typeof dependsOn === 'string' ? dependsOn : null,
    });
  }
  return { next: step.next };
};

/** Marks histories whose issues may adopt licences; none recorded before `adopts` existed reaches it. */
const ISSUE_ADOPTS = 'issue-adopts';

/**
 * The numbers an `adopts` names: one, or a list (empty: none).
 * @throws ExpressionFault when it cannot be evaluated or gives anything else: the file is at fault.
 */
function adoptedNumbers(ctx: StepContext, id: string, expr: string): string[] {
  const value = valueOf(factsAt(ctx.state.facts, now(), ctx.reckoning), id, 'adopts', expr);
  const numbers = typeof value === 'string' ? [value] : value;
  if (Array.isArray(numbers) && numbers.every((n) => typeof n === 'string' && n !== '')) return numbers as string[];
  throw new ExpressionFault(id, 'adopts', expr, `gives ${kindOf(value)}, not a licence number or a list of them`);
}

/** An expression's value, or undefined when it cannot be evaluated (a fact the process lacks). */
function optional(ctx: StepContext, expr: string): unknown {
  try {
    return evaluate(expr, factsAt(ctx.state.facts, now(), ctx.reckoning));
  } catch {
    return undefined;
  }
}
