/**
 * Runs a `check`: its rules in order, each applying only `when` its guard holds; the first that
 * fails (an expression that does not hold, a holding another has claimed) rejects the
 * application, or leads to `otherwise`.
 */
import { patched } from '@temporalio/workflow';
import { holds, type Facts } from '../../dsl/expressions.js';
import { factsAt } from '../../dsl/facts.js';
import type { CheckRule } from '../../dsl/steps/check.js';
import { now } from '../clock.js';
import type { StepContext, StepRunner } from './context.js';
import { nationalCodeOf } from './evaluation.js';

export const runCheck: StepRunner<'check'> = async (ctx, id, step) => {
  const facts = factsAt(ctx.state.facts, now(), ctx.reckoning);
  let failed: CheckRule | undefined;
  for (const rule of step.rules) {
    if (!(await passes(ctx, id, rule, facts))) {
      failed = rule;
      break;
    }
  }
  if (!failed) return { next: step.next };
  await ctx.db.recordEvent(ctx.event('rule-failed', id, { reason: failed.reason, message: failed.message }));
  ctx.state.facts.lastFailure = { stepId: id, reason: failed.reason };
  if (step.otherwise) return { next: step.otherwise };
  return { end: { outcome: 'rejected', reason: failed.reason, stepId: id } };
};

/**
 * An expression rule whose `when` does not hold is passed, as the language says. The first runner
 * failed it instead; no shipped file had such a rule, and the patch keeps any history that did.
 */
export const WHEN_GUARD_PASSES = 'check-when-guard-passes';

async function passes(ctx: StepContext, id: string, rule: CheckRule, facts: Facts): Promise<boolean> {
  if ('expr' in rule) {
    if (rule.when && !holds(rule.when, facts)) return patched(WHEN_GUARD_PASSES);
    return holds(rule.expr, facts);
  }
  if (rule.when && !holds(rule.when, facts)) {
    await ctx.db.recordEvent(ctx.event('claim-not-needed', id, { holding: rule.claim }));
    return true;
  }
  const holder = nationalCodeOf(facts, id, `holder of ${rule.claim}`, rule.holder);
  // `limit` is new: a rule without it sends what it always sent, so recorded histories replay.
  const { granted } = await ctx.db.claimHolding(
    { holding: rule.claim, holder, applicationId: ctx.applicationId, ...(rule.limit ? { limit: rule.limit } : {}) },
    ctx.event('holding-claimed', id, { holding: rule.claim }),
  );
  return granted;
}
