/** Runs a `check`: the first rule that does not hold rejects the application, or leads to `onFail`. */
import { holds } from '../../dsl/expressions.js';
import { factsAt } from '../../dsl/facts.js';
import { db } from '../activity-options.js';
import { now } from '../clock.js';
import type { StepRunner } from './context.js';

export const runCheck: StepRunner<'check'> = async (ctx, id, step) => {
  const facts = factsAt(ctx.state.facts, now());
  const failed = step.rules.find((rule) => !holds(rule.expr, facts));
  if (!failed) return { next: step.next };
  await db.recordEvent(ctx.event('rule-failed', id, { reason: failed.reason, message: failed.message }));
  ctx.state.facts.lastFailure = { stepId: id, reason: failed.reason };
  if (step.onFail) return { next: step.onFail };
  return { end: { outcome: 'rejected', reason: failed.reason, stepId: id } };
};
