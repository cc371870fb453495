/**
 * `set`: saves the values of CEL expressions as facts, e.g. the quarter a recurring obligation is
 * about. A fact is one expression, or a record of them (`quarter: { lastDay: …, due: … }`).
 */
import { z } from 'zod';
import { Expression, FactName, StepId, stepBase } from '../primitives.js';
import { defineStepKind } from './kind.js';

export const SetStep = z.object({
  type: z.literal('set'), ...stepBase,
  facts: z.record(FactName, z.union([Expression, z.record(FactName, Expression)])),
  next: StepId.optional(),
}).strict();

export const set = defineStepKind({
  schema: SetStep,
  leadsOn: true,
  facts: (step) => Object.keys(step.facts),
  validate(step, v) {
    for (const [name, value] of Object.entries(step.facts)) {
      if (typeof value === 'string') v.expression(value, v.at('facts', name));
      else for (const [field, expr] of Object.entries(value)) v.expression(expr, v.at('facts', name, field));
    }
  },
  diagram: { label: { fa: 'ثبت مقادیر', en: 'set facts' }, shape: 'box' },
});
