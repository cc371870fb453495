/** Runs a `claim`: claims the holding for the holder; refused when another application or licence holds it. */
import { evaluate, holds } from '../../dsl/expressions.js';
import { factsAt } from '../../dsl/facts.js';
import { db } from '../activity-options.js';
import { now } from '../clock.js';
import type { StepRunner } from './context.js';

export const runClaim: StepRunner<'claim'> = async (ctx, id, step) => {
  const facts = factsAt(ctx.state.facts, now());
  if (step.when && !holds(step.when, facts)) {
    await db.recordEvent(ctx.event('claim-not-needed', id, { holding: step.holding }));
    return { next: step.next };
  }
  const holder = String(evaluate(step.holder, facts));
  const { granted } = await db.claimHolding(
    { holding: step.holding, holder, applicationId: ctx.applicationId },
    ctx.event('holding-claimed', id, { holding: step.holding }),
  );
  if (granted) return { next: step.next };
  ctx.state.facts.lastFailure = { stepId: id, reason: step.reason };
  await db.recordEvent(ctx.event('rule-failed', id, { reason: step.reason, message: step.message }));
  if (step.onFail) return { next: step.onFail };
  return { end: { outcome: 'rejected', reason: step.reason, stepId: id } };
};
