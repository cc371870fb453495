/** `set`: saves the values of CEL expressions as facts, e.g. the quarter a recurring obligation is about. */
import { z } from 'zod';
import { Expression, FactName, StepId, stepBase } from '../primitives.js';
import { defineStepKind } from './kind.js';

export const SetStep = z.object({
  type: z.literal('set'), ...stepBase,
  facts: z.record(FactName, Expression),
  next: StepId.optional(),
}).strict();

export const set = defineStepKind({
  schema: SetStep,
  leadsOn: true,
  facts: (step) => Object.keys(step.facts),
  validate(step, v) {
    for (const [name, expr] of Object.entries(step.facts)) v.expression(expr, v.at('facts', name));
  },
  diagram: { label: { fa: 'ثبت مقادیر', en: 'set facts' }, shape: 'box' },
});
