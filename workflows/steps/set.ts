/** Runs a `set`: evaluates each expression over the facts as they were when the step began, and saves it. */
import { factsAt } from '../../dsl/facts.js';
import { now } from '../clock.js';
import type { StepRunner } from './context.js';
import { valueOf } from './evaluation.js';

export const runSet: StepRunner<'set'> = async (ctx, id, step) => {
  const facts = factsAt(ctx.state.facts, now(), ctx.reckoning);
  const factOf = (name: string, expr: string | Record<string, string>) => (typeof expr === 'string'
    ? valueOf(facts, id, `facts.${name}`, expr)
    : Object.fromEntries(Object.entries(expr).map(([field, inner]) => [field, valueOf(facts, id, `facts.${name}.${field}`, inner)])));
  const values = Object.fromEntries(Object.entries(step.facts).map(([name, expr]) => [name, factOf(name, expr)]));
  Object.assign(ctx.state.facts, values);
  await ctx.db.recordEvent(ctx.event('facts-set', id, { facts: Object.keys(values) }));
  return { next: step.next };
};
