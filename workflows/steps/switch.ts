/** Runs a `switch`: the first case whose expression holds, else `otherwise`. */
import { holds } from '../../dsl/expressions.js';
import { factsAt } from '../../dsl/facts.js';
import { now } from '../clock.js';
import type { StepRunner } from './context.js';

export const runSwitch: StepRunner<'switch'> = async (ctx, id, step) => {
  const facts = factsAt(ctx.state.facts, now(), ctx.reckoning);
  const chosen = step.cases.find((c) => holds(c.when, facts));
  await ctx.db.recordEvent(ctx.event('route-chosen', id, { next: chosen?.next ?? step.otherwise, matched: chosen?.when ?? null }));
  return { next: chosen?.next ?? step.otherwise };
};
