/** Runs a `wait`: a timer for its delay, or until the date its expression gives. */
import { sleep } from '@temporalio/workflow';
import { resolveDeadline } from '../../dsl/calendar.js';
import { evaluate } from '../../dsl/expressions.js';
import { factsAt } from '../../dsl/facts.js';
import { db } from '../activity-options.js';
import { isoAt, now, parseIso } from '../clock.js';
import type { StepRunner } from './context.js';

export const runWait: StepRunner<'wait'> = async (ctx, id, step) => {
  let until: number;
  if (step.until) {
    const value = String(evaluate(step.until, factsAt(ctx.state.facts, now())));
    until = parseIso(value);
    if (Number.isNaN(until)) throw new Error(`wait ${id}: "${value}" is not a date`);
  } else {
    until = resolveDeadline(step.delay!, now(), ctx.calendar);
  }
  await db.recordEvent(ctx.event('waiting', id, { until: isoAt(Math.max(until, now())) }));
  await sleep(Math.max(0, until - now()));
  return { next: step.next };
};
