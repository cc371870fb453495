/**
 * Runs an `issue`: the register issues the licence (ending those it supersedes), the `licences`
 * fact records it, and each standing process of its kind starts beside it.
 */
import { resolveDeadline } from '../../dsl/calendar.js';
import { evaluate } from '../../dsl/expressions.js';
import { factsAt } from '../../dsl/facts.js';
import type { IssuedLicence } from '../../domain/workflow-interfaces/licence-process.js';
import { db } from '../activity-options.js';
import { isoAt, now } from '../clock.js';
import { pokeOutbox } from '../outbox-poke.js';
import { applicationOf, type StepContext, type StepRunner } from './context.js';

export const runIssue: StepRunner<'issue'> = async (ctx, id, step) => {
  const kind = ctx.definition.licences[step.licence]!;
  const app = applicationOf(ctx);
  const applicant = (ctx.state.facts.applicant ?? {}) as Record<string, string>;
  const issuedAt = now();
  const validUntil = resolveDeadline(kind.validity, issuedAt, ctx.calendar);
  const dependsOn = step.dependsOn ? optional(ctx, step.dependsOn) : undefined;
  const { number } = await db.issueLicence({
    applicationId: ctx.applicationId, kind: step.licence, title: kind.title, licenceType: ctx.definition.id,
    numberPrefix: kind.numberPrefix, holderNationalCode: applicant.nationalCode ?? '', holder: applicant, county: app.county ?? '',
    province: app.province ?? '', issuedAt: isoAt(issuedAt), validUntil: isoAt(validUntil), definitionHash: ctx.definitionHash,
    dependsOn: typeof dependsOn === 'string' ? dependsOn : undefined, supersedes: step.supersedes,
  }, ctx.event('licence-issued', id, { kind: step.licence, validUntil: isoAt(validUntil) }));
  if (step.supersedes) await pokeOutbox();
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

/** An expression's value, or undefined when it cannot be evaluated (a fact the process lacks). */
function optional(ctx: StepContext, expr: string): unknown {
  try {
    return evaluate(expr, factsAt(ctx.state.facts, now(), ctx.reckoning));
  } catch {
    return undefined;
  }
}
