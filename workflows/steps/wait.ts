/** Runs a `wait`: a timer for its delay, or until the date its expression gives. */
import { sleep } from '@temporalio/workflow';
import { resolveDeadline } from '../../dsl/calendar.js';
import { factsAt } from '../../dsl/facts.js';
import { isoAt, now, parseIso } from '../clock.js';
import type { StepRunner } from './context.js';
import { ExpressionFault, kindOf, valueOf } from './evaluation.js';

export const runWait: StepRunner<'wait'> = async (ctx, id, step) => {
  let until: number;
  if (step.until) {
    const value = valueOf(factsAt(ctx.state.facts, now(), ctx.reckoning), id, 'until', step.until);
    until = parseIso(String(value));
    if (Number.isNaN(until)) throw new ExpressionFault(id, 'until', step.until, `gives ${kindOf(value)}, not a date`);
  } else {
    until = resolveDeadline(step.delay!, now(), ctx.calendar);
  }
  await ctx.db.recordEvent(ctx.event('waiting', id, { until: isoAt(Math.max(until, now())) }));
  ctx.mailbox.settled.add(id);
  try {
    await sleep(Math.max(0, until - now()));
  } finally {
    ctx.mailbox.settled.delete(id);
  }
  return { next: step.next };
};
