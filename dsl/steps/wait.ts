/** `wait`: a pause for a duration, or until a date an expression gives. */
import { z } from 'zod';
import { durationToText } from '../calendar.js';
import { Deadline, Expression, StepId, stepBase } from '../primitives.js';
import { defineStepKind } from './kind.js';

export const WaitStep = z.object({
  type: z.literal('wait'), ...stepBase,
  delay: Deadline.optional(),
  /** Or: a CEL expression giving the ISO date (or date-time) to wait until, e.g. `change.effectiveDate`. */
  until: Expression.optional(),
  next: StepId.optional(),
}).strict();

export const wait = defineStepKind({
  schema: WaitStep,
  leadsOn: true,
  waits: true,
  deadlines: (step) => [[['delay'], step.delay]],
  validate(step, v) {
    if (!step.delay && !step.until) v.report(v.at(), 'missing-deadline', `wait "${v.id}" has no delay`, true);
    if (step.delay && step.until) v.report(v.at('until'), 'schema', `wait "${v.id}" has both a delay and an until`);
    if (step.until) v.expression(step.until, v.at('until'));
  },
  diagram: {
    label: { fa: 'انتظار', en: 'wait' },
    shape: 'pause',
    detail: (step) => (step.delay ? durationToText(step.delay) : undefined),
  },
});
