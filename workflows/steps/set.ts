/** Runs a `set`: evaluates each expression over the facts as they were when the step began, and saves it. */
import { evaluate } from '../../dsl/expressions.js';
import { factsAt } from '../../dsl/facts.js';
import { db } from '../activity-options.js';
import { now } from '../clock.js';
import type { StepRunner } from './context.js';

export const runSet: StepRunner<'set'> = async (ctx, id, step) => {
  const facts = factsAt(ctx.state.facts, now());
  const valueOf = (expr: string | Record<string, string>) => (typeof expr === 'string'
    ? evaluate(expr, facts)
    : Object.fromEntries(Object.entries(expr).map(([field, inner]) => [field, evaluate(inner, facts)])));
  const values = Object.fromEntries(Object.entries(step.facts).map(([name, expr]) => [name, valueOf(expr)]));
  Object.assign(ctx.state.facts, values);
  await db.recordEvent(ctx.event('facts-set', id, { facts: Object.keys(values) }));
  return { next: step.next };
};
